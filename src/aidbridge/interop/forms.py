"""Forms of the import pages: the file, the options the import services take, and the
fingerprint of the file the user checked (a real import is only of a checked file)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aidbridge.core.dates import date_field


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV, XLSX or HXL-tagged CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("From the file name")), ("csv", "CSV"), ("xlsx", "XLSX"), ("hxl", "HXL")],
    )
    # The SHA-256 of the file the dry run checked; set by the report page only.
    checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def options(self) -> dict[str, Any]:
        """The keyword arguments of the import service, beyond the file itself."""
        data = dict(self.cleaned_data)
        for name in ("file", "format", "checked"):
            data.pop(name, None)
        return data


class NeedsImportForm(ImportForm):
    title = forms.CharField(
        label=_("Title of the request"),
        max_length=200,
        required=False,
        help_text=_("For rows without a request column; each request value makes its own draft."),
    )
    situation = forms.CharField(label=_("Situation"), required=False, widget=forms.Textarea)


class OffersImportForm(ImportForm):
    available_from = date_field(_("Available from"))
    origin_airport = forms.CharField(label=_("Origin airport (ICAO)"), max_length=4, required=False)
    own_transport = forms.BooleanField(label=_("We bring our own transport"), required=False)
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea)


FORMS: dict[str, type[ImportForm]] = {"needs": NeedsImportForm, "offers": OffersImportForm}
