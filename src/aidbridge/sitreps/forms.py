"""The duty officer's form for a draft sitrep's free text; the service checks it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aidbridge.sitreps.models import Sitrep


class SitrepTextForm(forms.Form):
    general_situation = forms.CharField(
        label=_("General situation (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required before the head of centre can publish."),
    )
    general_situation_fr = forms.CharField(
        label=_("General situation: French translation (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "fr"}),
    )
    assessment = forms.CharField(
        label=_("Assessment (English)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    assessment_fr = forms.CharField(
        label=_("Assessment: French translation (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "lang": "fr"}),
    )
    precedence = forms.ChoiceField(label=_("Precedence"), choices=Sitrep.Precedence.choices)
    releasable = forms.BooleanField(
        label=_("Releasable to the public once published"), required=False
    )

    @classmethod
    def of(cls, sitrep: Sitrep) -> SitrepTextForm:
        return cls(initial={name: getattr(sitrep, name) for name in cls.base_fields})
