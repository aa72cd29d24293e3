"""The one rule for a date typed into a page: the browser's date picker, in ISO.

``<input type=date>`` only takes ``YYYY-MM-DD`` whatever the page's language; Django's
default would render the localized ``05/04/2020`` in French, which the browser drops, and
saving then erases the date. Every form of every app takes its date fields from here
(``web/tests/test_date_inputs.py`` checks each form in French).
"""

from __future__ import annotations

from typing import Any

from django import forms


class IsoDateInput(forms.DateInput):
    """A browser date picker rendered in ISO in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label: Any) -> forms.DateField:
    """An optional date with the browser's date picker, rendered in ISO in every language."""
    return forms.DateField(label=label, required=False, widget=IsoDateInput())
