"""No model of the project can hold a patient's name, date of birth or diagnosis.

Transfers carry counts and transport constraints only. This reads every field of every
installed model (its name, verbose name and help text) and fails on one that speaks of
a person's name, a birth date or a diagnosis. Staff accounts (Django's ``auth.User``)
have first and last names: they are the users of aidbridge, not patients, and are the
one exception, named here.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

# A person's name (contact names are of staff and points of contact: allowed, see below),
# a birth date, a diagnosis or other health record.
FORBIDDEN = re.compile(
    r"patient.?s?.?name|first.?name|last.?name|surname|given.?name|family.?name|"
    r"birth|\bdob\b|\bborn\b|"
    r"diagnos|\bicd\b|icd.?10|disease|illness|medical.?(history|record)|health.?record|"
    r"symptom|medication",
    re.IGNORECASE,
)
# Fields of people who use aidbridge (not patients), by model label and field name.
ALLOWED = {("auth.User", "first_name"), ("auth.User", "last_name")}


def offending_fields(models_: list[type[models.Model]]) -> list[str]:
    found = []
    for model in models_:
        for field in model._meta.get_fields(include_hidden=True):
            if not isinstance(field, models.Field):
                continue  # reverse relations: their field is checked on its own model
            words = " ".join(
                str(x) for x in (field.name, getattr(field, "verbose_name", ""), field.help_text)
            )
            if FORBIDDEN.search(words) and (model._meta.label, field.name) not in ALLOWED:
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_no_model_field_can_hold_a_patients_identity_or_health_record() -> None:
    every_model = list(apps.get_models(include_auto_created=True))
    assert len(every_model) > 30  # the whole project is read, not one app
    assert offending_fields(every_model) == []


@isolate_apps("aidbridge.hospitals")
def test_the_check_finds_such_fields() -> None:
    class Careless(models.Model):  # noqa: DJ008 (a throw-away model)
        patient_name = models.CharField(max_length=100)
        age = models.PositiveSmallIntegerField(help_text="years since birth")
        notes = models.TextField(help_text="Diagnosis on admission")
        count = models.PositiveIntegerField()

        class Meta:
            app_label = "hospitals"

    assert offending_fields([Careless]) == [
        "hospitals.Careless.patient_name",
        "hospitals.Careless.age",
        "hospitals.Careless.notes",
    ]
