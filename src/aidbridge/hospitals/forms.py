"""The hospital and bed-report forms of the pages (the services check everything)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aidbridge.hospitals.models import BedType
from aidbridge.parties.models import Party


class HospitalForm(forms.Form):
    nation = forms.ModelChoiceField(
        label=_("Nation"),
        queryset=Party.objects.filter(kind=Party.Kind.NATION, active=True),
        to_field_name="code",
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    region = forms.CharField(label=_("Region"), max_length=120)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    airport = forms.CharField(label=_("Nearest airport (ICAO)"), max_length=4, required=False)
    contact_name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker, in ISO whatever the page's language."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class BedReportForm(forms.Form):
    bed_type = forms.ChoiceField(label=_("Bed type"), choices=BedType.choices)
    available = forms.IntegerField(label=_("Available beds"), min_value=0)
    baseline = forms.IntegerField(label=_("Baseline beds"), min_value=0, required=False)
    reported_at = forms.DateTimeField(
        label=_("Counted at (UTC)"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_at"].initial = timezone.now().replace(second=0, microsecond=0)
