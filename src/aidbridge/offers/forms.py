"""Forms of the offer pages. They only turn HTTP input into Python values; every business
rule is checked by the services, whose ``ValidationFailed.field`` is then shown next to the
field it names. Dates use ``core.dates.date_field`` (ISO in every language); text fields
refuse NUL (Django's ``CharField`` does) and are at most their column's ``max_length``, or
``core.text.MAX_TEXT`` for a text area. The dispatch and receipt forms on an offer's page
are the logistics app's (``logistics/forms.py``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aidbridge.core.dates import date_field
from aidbridge.core.text import MAX_TEXT


class OfferHeaderForm(forms.Form):
    available_from = date_field(_("Available from"))
    origin_airport = forms.CharField(label=_("Origin airport (ICAO)"), max_length=4, required=False)
    origin_place = forms.CharField(label=_("Origin place"), max_length=200, required=False)
    own_transport = forms.BooleanField(label=_("We bring our own transport"), required=False)
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=MAX_TEXT, widget=forms.Textarea
    )
