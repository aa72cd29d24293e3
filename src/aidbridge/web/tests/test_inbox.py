"""The inbox page and the e-mails: each notification leads to its object's page (an
absolute address in the mail), in the reader's language; marking read is a form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aidbridge.accounts.models import Profile
from aidbridge.logistics import services as logistics
from aidbridge.notifications.models import Notification
from aidbridge.offers import services as offer_services
from aidbridge.requests import services


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(users: dict[str, Any], items: Any, crisis: Any) -> Any:
    rfa = services.create_rfa(
        users["ita"],
        crisis=crisis,
        title="Ventilators for Lombardy",
        lines=[{"item": "VENT-ICU", "quantity": 150, "delivery_airport": "LIML"}],
    )
    services.submit_rfa(users["ita"], rfa)
    return rfa


def test_mails_lead_to_the_page_in_the_readers_language(
    settings: Any,
    users: dict[str, Any],
    items: Any,
    crisis: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.AIDBRIDGE_BASE_URL = "https://aid.example.org/"
    Profile.objects.filter(user=users["duty"]).update(language="fr")
    rfa = services.create_rfa(
        users["ita"],
        crisis=crisis,
        title="Ventilators for Lombardy",
        lines=[{"item": "VENT-ICU", "quantity": 150, "delivery_airport": "LIML"}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_rfa(users["ita"], rfa)
    by_reader = {m.to[0]: m for m in mailoutbox}
    french, english = by_reader["duty@example.org"], by_reader["head@example.org"]
    assert french.subject == "Demande soumise : Ventilators for Lombardy (ITA)"
    assert english.subject == "Request submitted: Ventilators for Lombardy (ITA)"
    for mail in (french, english):
        assert "draft" not in mail.subject and "brouillon" not in mail.subject
        assert mail.body.endswith(f"\n\nhttps://aid.example.org/rfas/{rfa.pk}/")
        assert "/api/v1/" not in mail.body


def test_a_dispatch_mail_opens_the_offer_page(
    settings: Any,
    users: dict[str, Any],
    italian_rfa: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.AIDBRIDGE_BASE_URL = "http://centre.example:8000"
    need = italian_rfa.lines.get(position=1)
    offer = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": need.pk, "quantity": 20}]
    )
    line = offer.lines.get()
    offer_services.accept_offer_line(users["ita"], line)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        logistics.dispatch_offer_line(users["deu"], line, quantity=20, mode="airlift")
    (mail,) = [m for m in mailoutbox if m.to == ["ita-poc@example.org"]]
    assert mail.body.endswith(f"\n\nhttp://centre.example:8000/offers/{offer.pk}/")
    assert mail.subject == f"{offer.reference}: 20 VENT-ICU dispatched"


def test_offer_and_dispatch_mails_in_each_readers_language(
    users: dict[str, Any],
    italian_rfa: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    Profile.objects.filter(user=users["ita"]).update(language="fr")
    need = italian_rfa.lines.get(position=1)
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_services.make_offer(
            users["deu"], rfa=italian_rfa, lines=[{"request_line": need.pk, "quantity": 20}]
        )
    line = offer.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        offer_services.accept_offer_line(users["ita"], line)
    with django_capture_on_commit_callbacks(execute=True):
        logistics.dispatch_offer_line(users["deu"], line, quantity=20, mode="airlift")
    to_italy = [m for m in mailoutbox if m.to == ["ita-poc@example.org"]]
    to_germany = [m for m in mailoutbox if m.to == ["deu-poc@example.org"]]
    ref = offer.reference
    assert [m.subject for m in to_italy] == [
        f"{ref} : DEU offre son aide pour {italian_rfa.reference}",
        f"{ref} : 20 VENT-ICU expédiés",
    ]
    assert (
        "Allemagne a expédié 20 Respirateur de réanimation (Transport aérien)" in to_italy[1].body
    )
    (accepted,) = to_germany
    assert accepted.subject == f"{ref}: 20 VENT-ICU accepted"
    assert accepted.body.startswith("Italy accepted 20 of the 20 ICU ventilator offered in")


def test_the_inbox_lists_links_and_marks_read(
    users: dict[str, Any], submitted: Any, crisis: Any
) -> None:
    duty = client_for(users["duty"])
    page = duty.get("/inbox/")
    assert page.status_code == 200
    html = page.text
    assert f'href="/rfas/{submitted.pk}/">Request submitted: Ventilators for Lombardy (ITA)' in html
    assert '<span class="count" id="unread-count">1<' in html  # in the navigation
    # The same count sits in the navigation of every page.
    assert '<span class="count" id="unread-count">1<' in duty.get(f"/crises/{crisis.code}/").text
    # The worklists are counted there too.
    assert "1 request to validate" in html

    note = Notification.objects.get(recipient=users["duty"])
    opened = duty.post(f"/inbox/{note.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == f"/rfas/{submitted.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    after = duty.get("/inbox/").text
    assert 'id="unread-count"' not in after
    assert f"/inbox/{note.pk}/read/" not in after  # nothing left to mark
    assert "Ventilators for Lombardy" not in duty.get("/inbox/?unread=1").text


def test_mark_all_and_nobody_marks_anothers(users: dict[str, Any], submitted: Any) -> None:
    head_note = Notification.objects.get(recipient=users["head"])
    # Another user's notification is not found, and stays unread.
    assert client_for(users["duty"]).post(f"/inbox/{head_note.pk}/read/").status_code == 404
    head_note.refresh_from_db()
    assert head_note.read_at is None
    head = client_for(users["head"])
    assert head.get(f"/inbox/{head_note.pk}/read/").status_code == 405  # a form, not a link
    done = head.post("/inbox/read-all/", follow=True)
    assert "1 notification marked read." in done.text
    assert not Notification.objects.filter(recipient=users["head"], read_at=None).exists()


def test_the_inbox_in_french(users: dict[str, Any], submitted: Any) -> None:
    Profile.objects.filter(user=users["duty"]).update(language="fr")
    html = client_for(users["duty"]).get("/inbox/").text
    assert "Boîte de réception" in html and "Marquer comme lu" in html
    assert "1 demande à valider" in html
