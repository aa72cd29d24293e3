"""A Saxon point of contact, working in French, records a bed report on the form: the
labels and bed types are French, the date picker takes the time, the new figure shows
and the earlier report stays in the history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from aidbridge.accounts.models import Profile

pytestmark = pytest.mark.browser


def test_entering_a_bed_report_in_french(
    open_page: Callable[..., Any], users: dict[str, Any], hospitals: dict[str, Any]
) -> None:
    Profile.objects.filter(user=users["deu"]).update(language="fr")
    dresden = hospitals["dresden"]
    page = open_page(user=users["deu"], locale="fr-FR")
    page.goto("/hospitals/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name=dresden.name).click()
    page.get_by_role("heading", name="Signaler des lits").wait_for()

    page.get_by_label("Type de lit").select_option(label="Réanimation adulte")
    page.get_by_label("Lits disponibles").fill("6")
    page.get_by_label("Lits en temps normal").fill("42")
    when = timezone.now() - timedelta(minutes=20)
    page.get_by_label("Compté le (UTC)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Enregistrer le relevé").click()

    page.get_by_text("Relevé de lits enregistré.").wait_for()
    row = page.locator("#availability tbody tr")
    assert row.count() == 1
    assert row.locator("td").nth(0).inner_text() == "Réanimation adulte"
    assert row.locator("td").nth(1).inner_text() == "6"
    assert page.locator("#history tbody tr").count() == 2
    current = dresden.bed_reports.get(superseded_at__isnull=True)
    assert (current.available, current.baseline) == (6, 42)
    assert current.reported_at == when.replace(second=0, microsecond=0)

    # A count that is not a number is refused on the form; nothing new is written.
    page.get_by_label("Lits disponibles").fill("-3")
    page.get_by_role("button", name="Enregistrer le relevé").click()
    page.locator(".field-error").first.wait_for()
    assert dresden.bed_reports.count() == 2
    assert page.console_errors == []
