"""Match notifications: who is told when a request is circulated or stock is posted, in
which language, at once or in the daily digest, and the pre-filled offer form."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from aidbridge.ledger.sums import line_figures, standing_stock
from aidbridge.notifications.matching import offer_form_link
from aidbridge.notifications.models import Notification, PendingMatch
from aidbridge.offers import services as offer_services
from aidbridge.offers.models import Offer
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance

Status = RequestForAssistance.Status


def _stock(user: Any, crisis: Any, *lines: tuple[str, int]) -> Offer:
    return offer_services.make_unsolicited_offer(
        user, crisis=crisis, lines=[{"item": code, "quantity": q} for code, q in lines]
    )


def _set(user: Any, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(user.profile, name, value)
    user.profile.save()


def _matches(kind: str = "match.request") -> dict[str, Notification]:
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    out = {n.recipient.username: n for n in rows}
    assert len(out) == len(rows), "one notification per recipient"
    return out


@pytest.fixture
def held(users, items, crisis, parties) -> dict[str, Any]:
    """Before Italy's request: NATO holds 40 ventilators, Türkiye 200,000 FFP2 respirators
    (a substitute for surgical masks), Spain offered 30 ventilators to Czechia, Italy
    itself holds ventilators, Germany holds only protective suits."""
    cze = circulated_rfa(crisis, parties["CZE"], users["cze"], [(items["VENT-ICU"], 60)])
    offer_services.make_offer(
        users["esp"], rfa=cze, lines=[{"request_line": cze.lines.get().pk, "quantity": 30}]
    )
    return {
        "cze": cze,
        "nato": _stock(users["stock"], crisis, ("VENT-ICU", 40)),
        "tur": _stock(users["tur"], crisis, ("RESP-FFP2", 200_000)),
        "ita": _stock(users["ita"], crisis, ("VENT-ICU", 5)),
        "deu": _stock(users["deu"], crisis, ("SUIT-PROT", 1000)),
    }


def _italy(crisis, parties, users, items, status: str = Status.CIRCULATED) -> Any:
    return circulated_rfa(
        crisis,
        parties["ITA"],
        users["ita"],
        [(items["VENT-ICU"], 150), (items["MASK-SURG"], 100_000)],
        status=status,
    )


def test_circulating_tells_the_holders_and_past_offerers_what_they_could_fill(
    held, users, items, crisis, parties, django_capture_on_commit_callbacks
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rfa = _italy(crisis, parties, users, items)
    told = _matches()
    # Not Italy (its own request, though it holds ventilators), not Germany (suits only).
    assert set(told) == {"stock-mgr", "tur-poc", "esp-poc"}
    vent, masks = rfa.lines.order_by("position")
    figures = line_figures(rfa.lines.all())
    nato_stock = standing_stock(held["nato"].lines.all())[held["nato"].lines.get().pk]
    nato = told["stock-mgr"]
    assert f"{figures[vent.pk].outstanding} pieces outstanding on line 1" in nato.body
    assert f"you hold {nato_stock.available} in standing stock" in nato.body
    assert "Surgical mask" not in nato.body
    assert nato.link == offer_form_link(rfa, [(vent.pk, nato_stock.available)])
    assert nato.crisis == crisis and rfa.reference in nato.subject
    assert "FFP2 respirator (a substitute for Surgical mask)" in told["tur-poc"].body
    assert told["tur-poc"].link == offer_form_link(rfa, [(masks.pk, figures[masks.pk].outstanding)])
    assert "you offered 30 in this crisis" in told["esp-poc"].body
    assert {"stock-mgr@example.org", "tur-poc@example.org", "esp-poc@example.org"} <= {
        m.to[0] for m in mail.outbox
    }


def test_each_is_told_in_their_language(
    held, users, items, crisis, parties, django_capture_on_commit_callbacks
) -> None:
    _set(users["tur"], language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        _italy(crisis, parties, users, items)
    told = _matches()
    assert "vous pourriez fournir" in told["tur-poc"].subject
    assert "Masque FFP2 (un substitut de Masque chirurgical)" in told["tur-poc"].body
    assert "you could fill" in told["stock-mgr"].subject


def test_a_draft_or_a_submitted_request_is_matched_with_nobody(
    held, users, items, crisis, parties, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        draft = _italy(crisis, parties, users, items, status=Status.DRAFT)
        submitted = _italy(crisis, parties, users, items, status=Status.SUBMITTED)
        # Stock posted now matches neither: nobody outside the centre sees a draft.
        _stock(users["deu"], crisis, ("VENT-ICU", 10))
    assert draft.pk and submitted.pk
    assert not Notification.objects.filter(kind="match.request").exists()
    # Czechia's circulated request is matched by the stock; Italy's draft is not.
    assert set(_matches("match.stock")) == {"cze-poc"}
    assert not PendingMatch.objects.exists()


def test_an_inactive_point_of_contact_is_not_told(
    held, users, items, crisis, parties, django_capture_on_commit_callbacks
) -> None:
    users["stock"].is_active = False
    users["stock"].save()
    with django_capture_on_commit_callbacks(execute=True):
        _italy(crisis, parties, users, items)
    assert "stock-mgr" not in _matches()


def test_posting_stock_tells_the_requesters_with_open_needs(
    users, items, crisis, parties, django_capture_on_commit_callbacks
) -> None:
    ita = _italy(crisis, parties, users, items)
    cze = circulated_rfa(crisis, parties["CZE"], users["cze"], [(items["MASK-SURG"], 5000)])
    own = circulated_rfa(crisis, parties["DEU"], users["deu"], [(items["VENT-ICU"], 10)])
    done = circulated_rfa(
        crisis, parties["TUR"], users["tur"], [(items["VENT-ICU"], 10)], status=Status.CLOSED
    )
    esp = circulated_rfa(crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 20)])
    offer = offer_services.make_offer(
        users["cze"], rfa=esp, lines=[{"request_line": esp.lines.get().pk, "quantity": 20}]
    )
    offer_services.accept_offer_line(users["esp"], offer.lines.get(), 20)  # fully covered
    _set(users["cze"], language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        posted = _stock(users["deu"], crisis, ("VENT-ICU", 70), ("RESP-FFP2", 3000))
    told = _matches("match.stock")
    # Not Germany about its own need, not the closed request nor the covered one.
    assert set(told) == {"ita-poc", "cze-poc"}
    assert own.pk and done.pk
    figures_of = standing_stock(posted.lines.all())
    stock = {ln.item.code: figures_of[ln.pk] for ln in posted.lines.select_related("item")}
    vent = ita.lines.get(position=1)
    figures = line_figures(ita.lines.all())
    body = told["ita-poc"].body
    assert (
        f"line 1, ICU ventilator: {figures[vent.pk].outstanding} outstanding; "
        f"DEU holds {stock['VENT-ICU'].available} ICU ventilator" in body
    )
    assert f"DEU holds {stock['RESP-FFP2'].available} FFP2 respirator" in body
    assert told["ita-poc"].link == f"/rfas/{ita.pk}/"
    assert "Masque FFP2" in told["cze-poc"].body
    assert cze.reference and cze.reference in told["cze-poc"].subject


def test_digest_users_hear_once_a_day_and_not_of_closed_requests(
    held, users, items, crisis, parties, django_capture_on_commit_callbacks
) -> None:
    _set(users["esp"], match_delivery="digest", language="fr")
    _set(users["tur"], match_delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        rfa = _italy(crisis, parties, users, items)
        _italy(crisis, parties, users, items)  # a second request: a second held match
    told = Notification.objects.filter(kind="match.request")
    assert set(told.values_list("recipient__username", flat=True)) == {"stock-mgr"}
    assert PendingMatch.objects.filter(recipient=users["esp"]).count() == 2
    # Spain's matches: one request is closed before the digest, so only the other is sent.
    rfa_services.close_rfa(users["duty"], rfa, RequestForAssistance.Closure.OVERTAKEN)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications", "digest")
    digests = _matches("match.digest")
    assert set(digests) == {"esp-poc", "tur-poc"}
    assert digests["esp-poc"].subject == "Résumé du jour : 1 correspondance possible"
    assert rfa.reference not in digests["esp-poc"].body
    assert "vous avez offert 30 dans cette crise" in digests["esp-poc"].body
    assert sorted(m.to[0] for m in mail.outbox) == ["esp-poc@example.org", "tur-poc@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications", "digest", "--enqueue")  # the task: nothing left
    assert Notification.objects.filter(kind="match.digest").count() == 2


def test_the_link_opens_the_offer_form_filled_in(
    held, users, items, crisis, parties, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rfa = _italy(crisis, parties, users, items)
    note = _matches()["stock-mgr"]
    vent, masks = rfa.lines.order_by("position")
    client = Client()
    client.force_login(users["stock"])
    page = client.get(note.link)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="qty-{vent.pk}" min="1" inputmode="numeric" value="40"' in html
    assert f'name="qty-{masks.pk}" min="1" inputmode="numeric" value=""' in html
    # Another request's line in the query is ignored; the form still posts an offer.
    other = held["cze"].lines.get().pk
    page = client.get(f"/rfas/{rfa.pk}/offer/?line={other}&quantity=9&line={masks.pk}&quantity=7")
    assert 'value="7"' in page.content.decode() and 'value="9"' not in page.content.decode()
    sent = client.post(f"/rfas/{rfa.pk}/offer/", {f"qty-{vent.pk}": "40"})
    assert sent.status_code == 302
    assert Offer.objects.get(rfa=rfa).lines.get().quantity == 40


def test_the_preference_through_the_api_and_the_page(api, users) -> None:
    client = api("deu")
    assert client.get("/me").json()["match_delivery"] == "immediate"
    changed = client.patch("/me", {"match_delivery": "digest"})
    assert changed.status_code == 200 and changed.json()["match_delivery"] == "digest"
    assert changed.json()["language"] == "en"
    bad = client.patch("/me", {"match_delivery": "hourly"})
    assert bad.status_code == 422 and "match_delivery" in bad.content.decode()
    page = Client()
    page.force_login(users["deu"])
    assert 'value="digest" checked' in page.get("/preferences/").content.decode()
    assert page.post("/preferences/", {"match_delivery": "immediate"}).status_code == 302
    users["deu"].profile.refresh_from_db()
    assert users["deu"].profile.match_delivery == "immediate"
    refused = page.post("/preferences/", {"match_delivery": "weekly"})
    assert refused.status_code == 400 and "weekly" in refused.content.decode()
