"""The intake page's forms: the message, then the proposal as a person checks it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aidbridge.core.dates import date_field
from aidbridge.core.quantities import quantity_form_field
from aidbridge.core.text import MAX_TEXT
from aidbridge.requests.models import RequestForAssistance, RequestLine

PRIORITIES = [(1, _("1 (highest)")), (2, "2"), (3, _("3 (lowest)"))]


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text=_("Paste the request as received, in English or French."),
    )


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=RequestForAssistance._meta.get_field("title").max_length
    )
    delivery_airport = forms.CharField(
        label=_("Delivery airport (ICAO)"),
        required=False,
        max_length=RequestLine._meta.get_field("delivery_airport").max_length,
    )
    text = forms.CharField(max_length=MAX_TEXT, required=False, widget=forms.HiddenInput)


class LineForm(forms.Form):
    keep = forms.BooleanField(label=_("Keep"), required=False)
    item = forms.CharField(label=_("Item"), max_length=30)
    quantity = quantity_form_field()
    priority = forms.TypedChoiceField(label=_("Priority"), choices=PRIORITIES, coerce=int)
    needed_by = date_field(_("Needed by"))

    def line(self, airport: str) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "item": data["item"],
            "quantity": data["quantity"],
            "priority": data["priority"],
            "needed_by": data["needed_by"],
            "delivery_airport": airport,
        }


LineFormSet = forms.formset_factory(LineForm, extra=0, max_num=200, validate_max=True)
