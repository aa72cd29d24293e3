"""Forms of the request pages. They only turn HTTP input into Python values; every
business rule (quantities, items and units, states, roles) is checked by the services,
whose ``ValidationFailed.field`` is then shown next to the field it names.

Quantities use ``core.quantities.quantity_form_field`` (the bound of every channel), dates
``core.dates.date_field`` (ISO in every language); text fields refuse NUL (Django's
``CharField`` does) and are at most their column's ``max_length``, or ``core.text.MAX_TEXT``
for a text area."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from aidbridge.catalogue.models import Unit
from aidbridge.core.dates import date_field
from aidbridge.core.quantities import quantity_form_field
from aidbridge.core.text import MAX_TEXT


class RfaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    situation = forms.CharField(
        label=_("Situation"), required=False, max_length=MAX_TEXT, widget=forms.Textarea
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=40, required=False)
    entry_notes = forms.CharField(
        label=_("Entry, customs and handling notes"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea,
    )


class RfaLineForm(forms.Form):
    # The item is typed (code, or chosen from the list that searches code and EN/FR
    # names); the service says whether it is a known catalogue item.
    item = forms.CharField(label=_("Item"), max_length=30)
    quantity = quantity_form_field()
    # One of the catalogue's units; blank takes the item's own (the service checks that
    # a unit given is the item's). The item search fills both.
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[("", _("the item's unit")), *Unit.choices],
        required=False,
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[(1, _("1 (highest)")), (2, "2"), (3, _("3 (lowest)"))],
        coerce=int,
        initial=2,
    )
    needed_by = date_field(_("Needed by"))
    delivery_airport = forms.CharField(label=_("Airport (ICAO)"), max_length=4, required=False)
    delivery_place = forms.CharField(label=_("Delivery place"), max_length=200, required=False)
    delivery_lat = forms.FloatField(label=_("Latitude"), required=False)
    delivery_lon = forms.FloatField(label=_("Longitude"), required=False)
    transport_needed = forms.BooleanField(label=_("Transport needed"), required=False)
    specification = forms.CharField(label=_("Specification"), required=False, max_length=MAX_TEXT)

    def clean_item(self) -> str:
        return str(self.cleaned_data["item"]).split(" ")[0].strip().upper()


RfaLineFormSet = formset_factory(RfaLineForm, extra=0, min_num=1, can_delete=False)
