"""Applying field changes to a model and describing them for the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext

from aidbridge.core.errors import ValidationFailed


def jsonable(value: Any) -> Any:
    """A value as the audit trail's JSON stores it (dates as ISO text, objects by str)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)


def apply_changes(
    obj: models.Model, changes: Mapping[str, Any], allowed: Iterable[str]
) -> dict[str, list[Any]]:
    """Set ``changes`` on ``obj`` and return ``{field: [old, new]}`` for what differs.

    A field outside ``allowed`` is refused by name rather than silently ignored, so a
    client that misspells a field learns about it.
    """
    allowed = set(allowed)
    diff: dict[str, list[Any]] = {}
    for name, new in changes.items():
        if name not in allowed:
            raise ValidationFailed(
                gettext("%(name)s cannot be changed here") % {"name": name}, field=name
            )
        old = getattr(obj, name)
        if old != new:
            diff[name] = [jsonable(old), jsonable(new)]
            setattr(obj, name, new)
    return diff
