"""Escalation: the centre circulates a repeated request as an escalation of the open
request it repeats, through the service, the API and the page; the ledger counts the
need once; the link shows on both requests and in the sitreps."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from aidbridge.accounts.models import Profile
from aidbridge.audit.models import AuditEntry
from aidbridge.audit.sentences import sentences
from aidbridge.core.errors import Conflict, NotAllowed, ValidationFailed
from aidbridge.ledger.crisis import crisis_figures
from aidbridge.ledger.sums import line_figures
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import OfferLine
from aidbridge.requests import escalation
from aidbridge.requests import services as rfa_services
from aidbridge.requests.actions import available_actions
from aidbridge.requests.links import candidate_links
from aidbridge.requests.models import RequestForAssistance
from aidbridge.sitreps import services as sitrep_services
from aidbridge.sitreps.render import render_html

from .test_links import _request, first

__all__ = ["first"]
RFA = RequestForAssistance


@pytest.fixture(autouse=True)
def _language_kept() -> Any:
    """A page read in French leaves French active in this thread: restore it after."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def again(first, users, crisis) -> RFA:
    """Italy asks again, submitted: 350 ventilators by 5 April (first priority), and
    FFP2 respirators (a substitute for the surgical masks asked before)."""
    rfa = _request(users["ita"], crisis, ("VENT-ICU", 350, "2020-04-05"), ("RESP-FFP2", 5000, None))
    line = rfa.lines.get(position=1)
    line.priority = 1
    line.save()
    return rfa


def _entries(rfa_or_line: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            target_type__model=rfa_or_line._meta.model_name, target_id=rfa_or_line.pk
        ).order_by("pk")
    )


def test_the_lines_are_merged_as_increases_and_the_second_request_ends_merged(
    first, again, users, crisis
) -> None:
    offered = list(OfferLine.objects.values_list("pk", "request_line_id", "accepted"))
    before = crisis_figures(crisis).overall
    # Submitted, the second request is out of the picture: linking counts nothing twice.
    assert before.requested == 150 + 100_000 and before.outstanding == 100 + 100_000

    target = escalation.circulate_as_escalation(users["duty"], again, first)

    assert target == first
    vent, masks, ffp2 = first.lines.order_by("position")
    assert (vent.item.code, vent.quantity, vent.needed_by, vent.priority) == (
        "VENT-ICU",
        350,
        date(2020, 4, 5),
        1,
    )
    assert (masks.item.code, masks.quantity) == ("MASK-SURG", 100_000)
    # The substitute is another need: added as a line, never folded into the masks.
    assert (ffp2.item.code, ffp2.quantity, ffp2.delivery_airport) == ("RESP-FFP2", 5000, "LIRF")
    # Offers already made stay where they were, as they were.
    assert list(OfferLine.objects.values_list("pk", "request_line_id", "accepted")) == offered

    again.refresh_from_db()
    assert (again.status, again.closure, again.merged_into) == ("closed", "merged", first)
    assert again.reference and again.reference != first.reference
    assert again.circulated_at is None and again.closed_at is not None
    assert again.status_reason == f"merged into {first.reference}"
    assert again.lines.count() == 2  # its own record stays

    # The ledger counts the need once: the first request's lines carry the increase.
    after = crisis_figures(crisis)
    assert after.overall.requested == before.requested + 200 + 5000
    assert after.overall.outstanding == before.outstanding + 200 + 5000
    assert after.by_request[first.pk].outstanding == 300 + 100_000 + 5000
    assert again.pk not in after.by_request
    assert {f.outstanding for f in line_figures(again.lines.all()).values()} == {0}
    # Every nation told of the first request hears it grew; Italy that its repeat closed.
    told = Notification.objects.filter(kind="rfa.escalated")
    assert (
        told.filter(recipient=users["deu"]).exists()
        and told.filter(recipient=users["ocha"]).exists()
    )
    assert Notification.objects.filter(recipient=users["ita"], kind="rfa.closed").exists()


def test_both_requests_keep_the_history_in_both_languages(first, again, users) -> None:
    escalation.circulate_as_escalation(users["duty"], again, first)
    again.refresh_from_db()
    vent = first.lines.get(position=1)
    [escalate] = [e for e in _entries(again) if e.action.startswith("rfa.esc")]
    [escalated] = [e for e in _entries(first) if e.action == "rfa.escalated"]
    [raised] = [e for e in _entries(vent) if e.action == "rfa_line.update"]
    [added] = [e for e in _entries(first.lines.get(position=3)) if e.action == "rfa_line.add"]
    assert (escalate.action, escalate.from_state, escalate.to_state) == (
        "rfa.escalate",
        "submitted",
        "closed",
    )
    assert escalate.changes["closure"] == ["", "merged"]
    assert escalate.changes["merged_into_id"] == [None, first.pk]
    assert escalated.changes == {"escalated_by": [None, again.reference]}
    assert raised.changes == {
        "quantity": [150, 350],
        "needed_by": ["2020-04-10", "2020-04-05"],
        "priority": [2, 1],
    }
    why = f"escalation: {again.reference} merged into {first.reference}"
    assert raised.reason == added.reason == escalated.reason == why
    assert added.changes["item"] == [None, "RESP-FFP2"]
    text = dict((e.pk, s) for e, s in sentences([escalate, escalated]))
    assert text[escalate.pk].endswith(
        f"circulated the request {again.reference} as an escalation of an earlier request"
    )
    assert text[escalated.pk].endswith(
        f"merged a later request into {first.reference} as an escalation"
    )
    with translation.override("fr"):
        text = dict((e.pk, s) for e, s in sentences([escalate, escalated]))
    assert "comme aggravation d’une demande antérieure" in text[escalate.pk]  # noqa: RUF001
    assert f"a fusionné une demande ultérieure dans {first.reference}" in text[escalated.pk]


def test_a_repeat_asking_less_raises_nothing_and_drops_nothing(first, users, crisis) -> None:
    fewer = _request(users["ita"], crisis, ("VENT-ICU", 100, None))
    escalation.circulate_as_escalation(users["duty"], fewer, first)
    vent = first.lines.get(position=1)
    assert (vent.quantity, vent.needed_by, first.lines.count()) == (150, date(2020, 4, 10), 2)
    # The line's history still says it took the repeat, with no change.
    [entry] = [e for e in _entries(vent) if e.action == "rfa_line.update"]
    assert entry.changes == {} and "merged into" in entry.reason


def test_what_the_service_refuses_changes_nothing(first, again, users, crisis) -> None:
    def refused(error: type[Exception], who: str, rfa: RFA, into: RFA) -> None:
        count = AuditEntry.objects.count()
        lines = list(first.lines.values_list("quantity", "needed_by"))
        with pytest.raises(error):
            escalation.circulate_as_escalation(users[who], rfa, into)
        assert AuditEntry.objects.count() == count
        assert list(first.lines.values_list("quantity", "needed_by")) == lines
        assert RFA.objects.get(pk=rfa.pk).status == rfa.status

    for who in ("ita", "deu", "ocha", "airlift"):
        refused(NotAllowed, who, again, first)
    refused(ValidationFailed, "duty", again, again)
    submitted = _request(users["ita"], crisis, ("VENT-ICU", 5, None))
    refused(Conflict, "duty", again, submitted)  # the earlier one is not circulated
    spain = _request(users["esp"], crisis, ("VENT-ICU", 5, None), circulate=users["duty"])
    refused(ValidationFailed, "duty", again, spain)  # another nation's
    suits = _request(users["ita"], crisis, ("SUIT-PROT", 5, None), circulate=users["duty"])
    refused(ValidationFailed, "duty", again, suits)  # nothing in common
    refused(Conflict, "duty", suits, first)  # already circulated: not before circulating
    escalation.circulate_as_escalation(users["duty"], again, first)
    refused(Conflict, "duty", RFA.objects.get(pk=again.pk), first)  # merged already
    with pytest.raises(ValidationFailed):
        rfa_services.close_rfa(users["duty"], first, "merged")


def test_the_allowed_actions_offer_escalate_only_where_it_would_work(
    first, again, users, crisis
) -> None:
    assert "escalate" in available_actions(users["duty"], again)
    assert "escalate" not in available_actions(users["ita"], again)
    alone = _request(users["ita"], crisis, ("SUIT-PROT", 5, None))
    assert "escalate" not in available_actions(users["duty"], alone)
    assert "escalate" not in available_actions(users["duty"], first)


def test_circulated_separately_the_link_stays_on_both_requests(first, again, users) -> None:
    again = rfa_services.circulate_request(users["duty"], again)
    [link] = candidate_links(users["duty"], again)
    [back] = candidate_links(users["duty"], first)
    assert (link.rfa, link.later, back.rfa, back.later) == (first, False, again, True)
    page = Client()
    page.force_login(users["duty"])
    html = page.get(f"/rfas/{first.pk}/").text
    assert "May be repeated by a later request of this nation" in html
    assert f'href="/rfas/{again.pk}/">{again.reference}</a>' in html


def test_through_the_api(api, first, again, users) -> None:
    assert "escalate" in api("duty").get(f"/rfas/{again.pk}").json()["actions"]
    refused = api("ita").post(f"/rfas/{again.pk}/escalate", {"into": first.pk})
    assert refused.status_code == 403
    unknown = api("duty").post(f"/rfas/{again.pk}/escalate", {"into": 999_999})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["into"]
    done = api("duty").post(f"/rfas/{again.pk}/escalate", {"into": first.pk})
    assert done.status_code == 200, done.json()
    body = done.json()
    again.refresh_from_db()
    assert body["id"] == first.pk
    assert body["escalated_by"] == [
        {"id": again.pk, "reference": again.reference, "status": "closed"}
    ]
    assert [line["quantity"] for line in body["lines"]] == [350, 100_000, 5000]
    merged = api("ita").get(f"/rfas/{again.pk}").json()
    assert (merged["status"], merged["closure"]) == ("closed", "merged")
    assert merged["merged_into"] == {
        "id": first.pk,
        "reference": first.reference,
        "status": "circulated",
    }
    # Another nation reads the escalation on the request it sees.
    assert api("deu").get(f"/rfas/{first.pk}").json()["escalated_by"][0]["id"] == again.pk
    twice = api("duty").post(f"/rfas/{again.pk}/escalate", {"into": first.pk})
    assert twice.status_code == 409


def test_through_the_pages(first, again, users) -> None:
    page = Client()
    page.force_login(users["duty"])
    html = page.get(f"/rfas/{again.pk}/").text
    assert f"Circulate as an escalation of {first.reference}" in html
    assert "Circulate separately" in html
    response = page.post(f"/rfas/{again.pk}/escalate/", {"into": first.pk})
    assert response.status_code == 302
    again.refresh_from_db()
    html = page.get(f"/rfas/{again.pk}/").text
    assert "Merged into" in html and f'href="/rfas/{first.pk}/">{first.reference}</a>' in html
    html = page.get(f"/rfas/{first.pk}/").text
    assert "Escalated by" in html and f'href="/rfas/{again.pk}/">{again.reference}</a>' in html
    # Germany sees the first request and the reference merged into it, not a dead link.
    page.force_login(users["deu"])
    html = page.get(f"/rfas/{first.pk}/").text
    assert "Escalated by" in html and again.reference in html
    assert f'href="/rfas/{again.pk}/"' not in html
    assert page.get(f"/rfas/{again.pk}/").status_code == 404
    Profile.objects.filter(user=users["ita"]).update(language="fr")
    page.force_login(users["ita"])
    html = page.get(f"/rfas/{first.pk}/").text
    assert "Aggravée par" in html and "fusionnée dans cette demande" in html
    assert "Fusionnée dans" in page.get(f"/rfas/{again.pk}/").text


def test_the_sitrep_says_it_in_english_and_french(first, again, users, crisis) -> None:
    repeat = _request(users["ita"], crisis, ("VENT-ICU", 20, None), repeat_of=first)
    rfa_services.circulate_request(users["duty"], repeat)
    escalation.circulate_as_escalation(users["duty"], again, first)
    again.refresh_from_db()
    repeat.refresh_from_db()
    sitrep = sitrep_services.draft_sitrep(users["duty"], crisis)
    english = render_html(sitrep, "en")
    french = render_html(sitrep, "fr")
    assert f"{first.reference} escalated by {again.reference} (merged into it" in english
    assert f"{repeat.reference} repeats {first.reference} (circulated separately)" in english
    assert f"{first.reference} aggravée par {again.reference} (fusionnée" in french
    assert f"{repeat.reference} renouvelle {first.reference}" in french
    assert f"escalated by {again.reference}" in render_html(sitrep, "en", part="annex")
