"""Declaring partner centres and their keys (the head of centre; each audited).

``actor`` None: the command line run by the operator (``aidbridge federation``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from aidbridge.accounts.permissions import require_head_of_centre
from aidbridge.audit.services import record
from aidbridge.core.errors import ValidationFailed
from aidbridge.crises.models import Crisis
from aidbridge.federation.models import Direction, Partner, PartnerKey

_URL = URLValidator(schemes=["http", "https"])


def _check(actor: Any) -> None:
    if actor is not None:
        require_head_of_centre(actor, gettext_noop("declare partner centres"))


def declare_partner(
    actor: Any,
    *,
    code: str,
    name: str,
    base_url: str,
    direction: str = Direction.BOTH,
    crises: list[str] | None = None,
) -> Partner:
    """Create or update the partner ``code``; ``crises`` (codes) replace the shared ones."""
    _check(actor)
    code = (code or "").strip().upper()
    if not code or len(code) > 6 or not code.replace("-", "").isalnum():
        raise ValidationFailed("1 to 6 letters or digits", field="code")
    try:
        _URL(base_url)
    except ValidationError:
        raise ValidationFailed("an http or https URL", field="base_url") from None
    if direction not in Direction.values:
        raise ValidationFailed(f"one of {', '.join(Direction.values)}", field="direction")
    shared = list(Crisis.objects.filter(code__in=crises or []))
    if len(shared) != len(set(crises or [])):
        raise ValidationFailed("unknown crisis", field="crises")
    with transaction.atomic():
        partner, created = Partner.objects.select_for_update().get_or_create(
            code=code,
            defaults={
                "name": name,
                "base_url": base_url,
                "direction": direction,
                "created_at": timezone.now(),
            },
        )
        before = {
            "name": partner.name,
            "base_url": partner.base_url,
            "direction": partner.direction,
            "crises": sorted(partner.crises.values_list("code", flat=True)),
        }
        partner.name, partner.base_url, partner.direction = name, base_url, direction
        partner.save()
        if crises is not None:
            partner.crises.set(shared)
        after = {
            "name": name,
            "base_url": base_url,
            "direction": direction,
            "crises": sorted(c.code for c in shared) if crises is not None else before["crises"],
        }
        record(
            actor,
            "federation.partner_declare",
            partner,
            to_state="active",
            changes={
                k: [None if created else before[k], v]
                for k, v in after.items()
                if created or before[k] != v
            },
        )
    return partner


def add_key(
    actor: Any, partner: Partner, purpose: str, secret: str, *, not_after: datetime | None = None
) -> PartnerKey:
    """A new key; a new signing key signs from now on, the others keep verifying until
    their ``not_after`` (rotation without downtime)."""
    _check(actor)
    if purpose not in PartnerKey.Purpose.values:
        raise ValidationFailed("sign or verify", field="purpose")
    if len(secret or "") < 16 or len(secret) > 200:
        raise ValidationFailed("16 to 200 characters", field="secret")
    with transaction.atomic():
        key = PartnerKey.objects.create(
            partner=partner,
            purpose=purpose,
            secret=secret,
            created_at=timezone.now(),
            not_after=not_after,
        )
        record(
            actor,
            "federation.key_add",
            partner,
            to_state=purpose,
            changes={"key": [None, key.pk], "not_after": [None, str(not_after or "")]},
        )
    return key


def retire_key(actor: Any, key: PartnerKey, at: datetime | None = None) -> PartnerKey:
    """The key stops counting at ``at`` (default now)."""
    _check(actor)
    with transaction.atomic():
        key.not_after = at or timezone.now()
        key.save(update_fields=["not_after"])
        record(
            actor,
            "federation.key_retire",
            key.partner,
            to_state=key.purpose,
            changes={"key": [key.pk, key.pk], "not_after": [None, str(key.not_after)]},
        )
    return key
