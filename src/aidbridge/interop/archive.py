"""What goes into a backup archive, and how each value is written and read back.

Every table of aidbridge's apps is included (new apps such as sitreps are picked up
without changes here), plus Django's users. Left out: sessions, idempotency records
and task queues (transient); API tokens and password hashes unless secrets are asked
for. Content types are written by natural key, as their ids differ between databases.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models

FORMAT = "aidbridge-backup"
FORMAT_VERSION = 1
# Re-creatable on demand: stored sitrep renderings are made again on first request.
TRANSIENT = frozenset({"api.idempotencyrecord", "sitreps.sitreprendering"})
# Partner centres' HMAC keys: a partner restored without them sends nothing (the outbox
# says "no valid signing key") until its keys are declared again.
SECRET = frozenset({"accounts.apitoken", "federation.partnerkey"})
SECRET_FIELDS = {
    "auth.user": ("password",),
    # HMAC keys of webhooks; a subscription restored without them waits for a rotation.
    "webhooks.subscription": ("secret", "previous_secret"),
}


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def backed_up_models(include_secrets: bool) -> list[type[models.Model]]:
    """The models in an archive, each after the models it points to."""
    user = get_user_model()
    chosen: list[type[models.Model]] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        # auto-created many-to-many tables live in the module of the model that owns them
        if not (model.__module__.startswith("aidbridge.") or model is user):
            continue
        if label(model) in TRANSIENT or (label(model) in SECRET and not include_secrets):
            continue
        chosen.append(model)
    return _dependency_order(chosen)


def _dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    pending = sorted(chosen, key=label)
    included = set(pending)
    done: list[type[models.Model]] = []
    while pending:
        for model in pending:
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not model
            }
            if not (targets & included) - set(done):
                done.append(model)
                pending.remove(model)
                break
        else:  # a cycle between models: FKs are checked at commit, any order works
            done.extend(pending)
            break
    return done


def fields_of(model: type[models.Model], include_secrets: bool) -> list[models.Field[Any, Any]]:
    skip = () if include_secrets else SECRET_FIELDS.get(label(model), ())
    return [f for f in model._meta.concrete_fields if f.name not in skip]


def is_content_type(field: models.Field[Any, Any]) -> bool:
    return field.is_relation and field.related_model is ContentType


def encoder(field: models.Field[Any, Any]) -> Any:
    """A function turning the database value of ``field`` into JSON."""
    if is_content_type(field):
        keys = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
        return lambda v: None if v is None else keys[v]
    return _plain


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dt.timedelta):
        return {"microseconds": value // dt.timedelta(microseconds=1)}
    raise TypeError(f"cannot archive a {type(value).__name__}")


def decoder(field: models.Field[Any, Any]) -> Any:
    """A function turning an archived JSON value back into what ``field`` stores."""
    if is_content_type(field):
        cache: dict[tuple[str, str], int] = {}

        def content_type(v: Any) -> int | None:
            if v is None:
                return None
            key = (v[0], v[1])
            if key not in cache:
                cache[key] = ContentType.objects.get_by_natural_key(*key).pk
            return cache[key]

        return content_type
    if field.is_relation:
        return lambda v: v
    if isinstance(field, models.JSONField):
        return lambda v: v
    if isinstance(field, models.BinaryField):
        return lambda v: None if v is None else base64.b64decode(v["base64"])
    if isinstance(field, models.DurationField):
        return lambda v: None if v is None else dt.timedelta(microseconds=v["microseconds"])
    return field.to_python
