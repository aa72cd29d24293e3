"""Checks on quantities given to services (by the API, the demo or the admin).

Quantities of aid are whole units: a fractional, zero or negative value is refused
with the field named, before anything is written.
"""

from __future__ import annotations

from typing import Any

from aidbridge.core.errors import ValidationFailed


def whole_quantity(value: Any, field: str, *, allow_zero: bool = False) -> int:
    """``value`` as a whole number of units, or ValidationFailed naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ValidationFailed("must be a whole number of units", field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationFailed(
            "must be zero or more" if allow_zero else "must be more than zero", field=field
        )
    return value
