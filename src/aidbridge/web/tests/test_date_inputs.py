"""Every date input of every form renders ISO dates, whatever the reader's language:
``<input type=date>`` drops anything else, and the next save erases the date."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import translation

import aidbridge


def _project_forms() -> list[Any]:
    for module in pkgutil.walk_packages(aidbridge.__path__, "aidbridge."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    found: list[Any] = []
    todo: list[type[forms.BaseForm]] = [forms.Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("aidbridge."):
                found.append(sub)
    return found


def test_the_project_has_date_inputs_to_check() -> None:
    dated = [
        (form, name)
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    ]
    assert len(dated) >= 3  # needed-by, an offer's and an offers import's available-from


def test_every_date_input_renders_iso_in_french() -> None:
    with translation.override("fr"):
        for form in _project_forms():
            for name, field in form.base_fields.items():
                if isinstance(field, forms.DateTimeField):
                    html = field.widget.render(name, datetime(2020, 4, 5, 14, 30))
                    assert 'value="2020-04-05T14:30"' in html, (form, name, html)
                elif isinstance(field, forms.DateField):
                    html = field.widget.render(name, date(2020, 4, 5))
                    assert 'type="date"' in html and 'value="2020-04-05"' in html, (form, name)
                    # and the ISO value the browser posts back is read in French too
                    assert field.clean("2020-04-05") == date(2020, 4, 5)
