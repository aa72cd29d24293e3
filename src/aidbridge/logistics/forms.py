"""Forms of dispatches and receipts (shown on an offer's page). They only turn HTTP input
into Python values; ``logistics.events`` checks the order of the events and the services
every other rule. Quantities use ``core.quantities.quantity_form_field`` (the bound of
every channel); text fields are at most their column's ``max_length``, or
``core.text.MAX_TEXT`` for a text area."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aidbridge.core.errors import ValidationFailed
from aidbridge.core.quantities import quantity_form_field
from aidbridge.core.text import MAX_TEXT, max_length_of
from aidbridge.logistics.models import Dispatch


class _EventForm(forms.Form):
    """When a dispatch or receipt happened (``logistics.events`` checks the order)."""

    def form_error(self) -> ValidationFailed:
        """The first problem, under the field's label (the page shows it as a message)."""
        name, errors = next(iter(self.errors.items()))
        return self.labelled(ValidationFailed(str(errors[0]), field=name))

    def labelled(self, error: ValidationFailed) -> ValidationFailed:
        """A service's refusal, its message prefixed with the label of the field it names."""
        if error.field in self.fields:
            label = self.fields[error.field].label
            return ValidationFailed(
                gettext("%(label)s: %(message)s") % {"label": label, "message": error.message},
                field=error.field,
            )
        return error


def _when(label: Any) -> forms.DateTimeField:
    # A browser's datetime-local value has no time zone: it is read in the server's
    # (UTC), as the page says next to the field.
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class DispatchForm(_EventForm):
    quantity = quantity_form_field(label=_("Quantity dispatched"))
    mode = forms.ChoiceField(label=_("Transport"), choices=Dispatch.Mode.choices)
    dispatched_at = _when(_("Dispatched at (UTC; empty: now)"))
    expected_at = _when(_("Estimated arrival (UTC)"))
    carrier = forms.CharField(
        label=_("Carrier"), required=False, max_length=max_length_of(Dispatch, "carrier")
    )
    transport_reference = forms.CharField(
        label=_("Tracking reference"),
        required=False,
        max_length=max_length_of(Dispatch, "transport_reference"),
    )


class ReceiptForm(_EventForm):
    quantity = quantity_form_field(allow_zero=True, label=_("Quantity received"))
    received_at = _when(_("Received at (UTC; empty: now)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_TEXT)
