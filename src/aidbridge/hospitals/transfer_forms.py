"""Page forms for a transfer line's detail and for a bed offer (the services check)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aidbridge.core.dates import date_field
from aidbridge.hospitals.models import BedType, Hospital

PLACES = 4  # receiving hospitals on one bed-offer form


class TransferNeedForm(forms.Form):
    bed_type = forms.ChoiceField(label=_("Bed type"), choices=BedType.choices)
    origin_hospital = forms.ModelChoiceField(
        label=_("Origin hospital"), queryset=Hospital.objects.none(), required=False
    )
    origin_region = forms.CharField(label=_("Origin region"), max_length=120, required=False)
    ventilated = forms.BooleanField(label=_("Ventilated"), required=False)
    needs_isolation = forms.BooleanField(label=_("Needs isolation"), required=False)

    def __init__(self, *args: Any, hospitals: QuerySet[Hospital], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin_hospital"].queryset = hospitals  # type: ignore[attr-defined]


class BedOfferForm(forms.Form):
    request_line = forms.ChoiceField(label=_("Transfer line"))
    bed_type = forms.ChoiceField(label=_("Bed type"), choices=BedType.choices)
    available_from = date_field(_("Available from"))
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea)

    def __init__(
        self, *args: Any, lines: list[tuple[int, str]], hospitals: QuerySet[Hospital], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_line"].choices = lines  # type: ignore[attr-defined]
        for i in range(PLACES):
            self.fields[f"hospital_{i}"] = forms.ModelChoiceField(
                label=_("Receiving hospital %(n)s") % {"n": i + 1},
                queryset=hospitals,
                required=False,
            )
            self.fields[f"beds_{i}"] = forms.IntegerField(
                label=_("Beds at hospital %(n)s") % {"n": i + 1}, min_value=1, required=False
            )

    def places(self) -> list[dict[str, Any]]:
        out = []
        for i in range(PLACES):
            hospital = self.cleaned_data.get(f"hospital_{i}")
            beds = self.cleaned_data.get(f"beds_{i}")
            if hospital is not None or beds is not None:
                out.append({"hospital": hospital, "beds": beds})
        return out
