"""The duty officer's page for a draft's free text and the head of centre's publish
button, through the real HTTP stack (sessions, CSRF middleware, CSP header)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from aidbridge.audit.models import AuditEntry
from aidbridge.sitreps.models import Sitrep

pytestmark = pytest.mark.django_db


def client_for(user: Any, lang: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    if lang != "en":
        # The interface language is the one chosen on the profile (the language switch).
        assert client.post("/language/", {"language": lang, "next": "/"}).status_code == 302
    return client


def test_duty_officer_drafts_writes_and_head_publishes(
    users: dict[str, Any], crisis: Any, first_state: Any
):
    duty, head = client_for(users["duty"]), client_for(users["head"])
    drafted = duty.post("/crises/covid-19-2020/sitreps/draft/")
    sitrep = Sitrep.objects.get()
    assert drafted.status_code == 302 and drafted["Location"] == f"/sitreps/{sitrep.pk}/edit/"

    page = duty.get(f"/sitreps/{sitrep.pk}/edit/")
    assert page.status_code == 200
    assert 'name="general_situation"' in page.text and 'name="assessment_fr"' in page.text
    assert "Approve and publish" not in page.text  # the duty officer does not approve
    # The page follows the web app's layout, whose policy forbids inline scripts.
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)
    assert 'aria-current="page">Sitreps</a>' in page.text

    saved = duty.post(
        f"/sitreps/{sitrep.pk}/edit/",
        {
            "general_situation": "Hospitals in Lombardy are saturated.",
            "general_situation_fr": "Les hôpitaux de Lombardie sont saturés.",
            "assessment": "Ventilators remain the most pressing need.",
            "assessment_fr": "",
            "precedence": "PRIORITY",
            "releasable": "on",
        },
    )
    assert saved.status_code == 302
    sitrep.refresh_from_db()
    assert sitrep.general_situation == "Hospitals in Lombardy are saturated."
    assert sitrep.precedence == "PRIORITY" and sitrep.releasable
    edit = AuditEntry.objects.get(action="sitrep.edit")
    assert set(edit.changes) == {
        "general_situation",
        "general_situation_fr",
        "assessment",
        "precedence",
        "releasable",
    }
    preview = duty.get(f"/sitreps/{sitrep.pk}/", {"lang": "fr"})
    assert "Les hôpitaux de Lombardie sont saturés." in preview.text

    form = head.get(f"/sitreps/{sitrep.pk}/edit/")
    assert "Approve and publish" in form.text
    published = head.post(f"/sitreps/{sitrep.pk}/publish/", follow=True)
    sitrep.refresh_from_db()
    assert sitrep.is_published and sitrep.sequence == 1
    assert f"{sitrep.message_number} is published as SITREP No. 1." in published.text
    # Published: the form is gone for good, the page shows the document.
    again = duty.get(f"/sitreps/{sitrep.pk}/edit/")
    assert again.status_code == 302 and again["Location"] == f"/sitreps/{sitrep.pk}/"
    refused = duty.post(f"/sitreps/{sitrep.pk}/edit/", {"general_situation": "x"})
    assert refused.status_code == 302
    sitrep.refresh_from_db()
    assert sitrep.general_situation == "Hospitals in Lombardy are saturated."
    listing = duty.get("/crises/covid-19-2020/sitreps/")
    assert sitrep.dtg in listing.text and "Write the text" not in listing.text


def test_errors_are_shown_next_to_the_field_in_french(
    users: dict[str, Any], crisis: Any, first_state: Any
):
    duty, head = client_for(users["duty"], "fr"), client_for(users["head"], "fr")
    duty.post("/crises/covid-19-2020/sitreps/draft/")
    sitrep = Sitrep.objects.get()
    page = duty.get(f"/sitreps/{sitrep.pk}/edit/")
    assert "Situation générale (anglais)" in page.text
    assert "Enregistrer le projet" in page.text

    bad = duty.post(
        f"/sitreps/{sitrep.pk}/edit/", {"general_situation": "Text.", "precedence": "URGENT"}
    )
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.text and 'id="id_precedence-error"' in bad.text
    sitrep.refresh_from_db()
    assert sitrep.general_situation == ""  # nothing half-saved

    # Publishing without the general situation is refused with the service's reason,
    # in the reader's language.
    refused = head.post(f"/sitreps/{sitrep.pk}/publish/", follow=True)
    assert refused.redirect_chain[-1][0] == f"/sitreps/{sitrep.pk}/edit/"
    assert "rédigez la situation générale avant de publier" in refused.text
    assert "write the general situation" not in refused.text
    sitrep.refresh_from_db()
    assert not sitrep.is_published


def test_only_the_centre_edits(users: dict[str, Any], crisis: Any):
    duty = client_for(users["duty"])
    duty.post("/crises/covid-19-2020/sitreps/draft/")
    sitrep = Sitrep.objects.get()
    ita = client_for(users["ita"])
    # A nation does not even see drafts.
    assert ita.get(f"/sitreps/{sitrep.pk}/edit/").status_code == 404
    assert ita.post(f"/sitreps/{sitrep.pk}/publish/").status_code == 404
    assert duty.post(f"/sitreps/{sitrep.pk}/publish/").status_code == 403
    assert Client().get(f"/sitreps/{sitrep.pk}/edit/").status_code == 302  # to the login


def test_a_megabyte_of_narrative_is_refused_on_every_channel(
    api: Any, users: dict[str, Any], crisis: Any, first_state: Any
):
    """A 1,000,000-character text once took 15 s to render: the text rule (at most
    MAX_TEXT characters, no NUL) now refuses it, naming the field, before anything is
    written, whether it comes through the page, the API or the admin."""
    from aidbridge.core.text import MAX_TEXT

    duty = client_for(users["duty"])
    duty.post("/crises/covid-19-2020/sitreps/draft/")
    sitrep = Sitrep.objects.get()
    huge = "Ventilators. " * 80_000  # 1,040,000 characters
    page = duty.post(
        f"/sitreps/{sitrep.pk}/edit/", {"general_situation": huge, "precedence": "ROUTINE"}
    )
    assert page.status_code == 422
    assert 'id="id_general_situation-error">general_situation must be at most 10,000' in page.text
    by_api = api("duty").patch(f"/sitreps/{sitrep.pk}", {"assessment_fr": huge})
    assert by_api.status_code == 422
    assert by_api.json()["errors"][0]["field"] == "assessment_fr"
    nul = api("duty").patch(f"/sitreps/{sitrep.pk}", {"assessment": "a\x00b"})
    assert nul.status_code in (400, 422)
    just_fits = api("duty").patch(f"/sitreps/{sitrep.pk}", {"assessment": "x" * MAX_TEXT})
    assert just_fits.status_code == 200
    sitrep.refresh_from_db()
    assert sitrep.general_situation == "" and sitrep.assessment_fr == ""
    assert sitrep.assessment == "x" * MAX_TEXT
    assert AuditEntry.objects.filter(action="sitrep.edit").count() == 1
