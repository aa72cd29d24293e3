"""The one definition of a quantity of aid, for every way one comes in.

Quantities of aid are whole units from 1 to ``MAX_QUANTITY``. The bound is what every
supported database stores in a ``PositiveIntegerField`` (a 32-bit integer on
PostgreSQL, 2,147,483,647) with room left for sums of a few lines, and far above any
real consignment (the largest demo offer is 10 million masks). The API schemas
(``Quantity``), the pages' forms (``quantity_form_field``), the imports
(``interop.validation``) and the services (``whole_quantity``) all read it from here.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import Field

from aidbridge.core.errors import ValidationFailed

MAX_QUANTITY = 1_000_000_000

# A whole number of units, strictly an integer in JSON (1.5, "3" and true are refused).
Quantity = Annotated[
    int,
    Field(strict=True, ge=1, le=MAX_QUANTITY, description=f"Whole units, 1 to {MAX_QUANTITY:,}"),
]
# What a receipt may confirm: nothing at all may have arrived.
QuantityOrZero = Annotated[
    int,
    Field(strict=True, ge=0, le=MAX_QUANTITY, description=f"Whole units, 0 to {MAX_QUANTITY:,}"),
]


def whole_quantity(value: Any, field: str, *, allow_zero: bool = False) -> int:
    """``value`` as a whole number of units, or ValidationFailed naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ValidationFailed(gettext("must be a whole number of units"), field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationFailed(
            "must be zero or more" if allow_zero else "must be more than zero", field=field
        )
    if value > MAX_QUANTITY:
        raise ValidationFailed(
            gettext("must be at most %(MAX_QUANTITY)s")
            % {"MAX_QUANTITY": format(MAX_QUANTITY, ",")},
            field=field,
        )
    return value


def quantity_form_field(*, allow_zero: bool = False, **kwargs: Any) -> forms.IntegerField:
    """A form field for a quantity, bounded as the services bound it."""
    kwargs.setdefault("label", _("Quantity"))
    return forms.IntegerField(min_value=0 if allow_zero else 1, max_value=MAX_QUANTITY, **kwargs)
