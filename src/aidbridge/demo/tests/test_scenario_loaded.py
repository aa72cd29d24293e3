"""The scenario played through the real services: every state is there, the numbers hold,
the audit trail and the inbox are filled, and a second load duplicates nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.db.models import Sum

from aidbridge.audit.models import AuditEntry
from aidbridge.demo.loader import load_demo
from aidbridge.demo.scenario import DEMO_PASSWORD
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance as RFA
from aidbridge.requests.models import RequestLine

pytestmark = pytest.mark.django_db(transaction=True)


def _rfa(requester: str, title_start: str) -> RFA:
    return RFA.objects.get(requester__code=requester, title__startswith=title_start)


def test_the_scenario_shows_every_state_with_consistent_numbers(
    django_user_model: Any,
) -> None:
    load_demo()

    statuses = set(RFA.objects.values_list("status", flat=True))
    assert statuses == set(RFA.Status.values)
    assert _rfa("ITA", "Oxygen").status == RFA.Status.DRAFT
    assert _rfa("ITA", "Oxygen").reference is None
    assert _rfa("MNE", "Protective").status == RFA.Status.SUBMITTED
    returned = _rfa("MKD", "Protective")
    assert returned.status == RFA.Status.RETURNED and "needed-by" in returned.status_reason
    fulfilled = _rfa("FRA", "Intensive-care")
    assert (fulfilled.status, fulfilled.closure) == (RFA.Status.CLOSED, RFA.Closure.FULFILLED)
    assert _rfa("ITA", "Transfer").closure == RFA.Closure.OVERTAKEN
    assert _rfa("ESP", "Field hospital").closure == RFA.Closure.WITHDRAWN
    for rfa in RFA.objects.exclude(status__in=[RFA.Status.DRAFT, RFA.Status.SUBMITTED]).exclude(
        status=RFA.Status.RETURNED
    ):
        assert re.fullmatch(r"RFA-\d{4}-\d{4}", rfa.reference or ""), rfa.title

    line_statuses = set(OfferLine.objects.values_list("status", flat=True))
    assert line_statuses >= {"open", "accepted", "declined", "withdrawn"}
    partly = OfferLine.objects.get(offer__donor__code="AUT", item__code="MASK-SURG")
    assert (partly.quantity, partly.accepted, partly.pending) == (1_000_000, 800_000, 200_000)
    declined = OfferLine.objects.get(status=OfferLine.Status.DECLINED, item__code="RESP-FFP2")
    assert "EN 149" in declined.decline_reason

    # Germany's 50 ventilators to Spain: accepted, flown by Spanish aircraft, delivered.
    deu = OfferLine.objects.get(offer__donor__code="DEU", request_line__rfa__requester__code="ESP")
    dispatch = deu.dispatches.get()
    assert (deu.accepted, dispatch.mode, dispatch.receipt.quantity) == (50, "airlift", 50)
    assert "Spanish" in dispatch.transport_reference
    assert dispatch.dispatched_at.year == 2020

    # Czechia's 150 ventilators: Austria 15 and the Netherlands 105, one truck short, one
    # still on the road.
    cze = RequestLine.objects.get(rfa__requester__code="CZE", rfa__title__startswith="150")
    accepted = cze.offer_lines.aggregate(t=Sum("accepted"))["t"]
    assert (cze.quantity, accepted) == (150, 120)
    short = Receipt.objects.get(dispatch__offer_line__offer__donor__code="NLD")
    assert short.quantity == 55 and short.dispatch.quantity == 60 and "damaged" in short.note
    assert Dispatch.objects.filter(receipt__isnull=True, offer_line__offer__donor__code="NLD")

    patients = RequestLine.objects.filter(item__code="PAT-ICU")
    received = Receipt.objects.filter(dispatch__offer_line__request_line__in=patients)
    assert received.aggregate(t=Sum("quantity"))["t"] == 85 + 3 + 98 + 7 + 11

    usa = Offer.objects.get(donor__code="USA", rfa__isnull=True)
    assert "NATO Pandemic Response Stockpile" in usa.conditions
    assert usa.lines.get().item.code == "VENT-ICU"

    # requested ≥ accepted ≥ dispatched ≥ delivered on every line.
    for line in RequestLine.objects.all():
        acc = line.offer_lines.aggregate(t=Sum("accepted"))["t"] or 0
        sent = (
            Dispatch.objects.filter(offer_line__request_line=line).aggregate(t=Sum("quantity"))["t"]
            or 0
        )
        got = (
            Receipt.objects.filter(dispatch__offer_line__request_line=line).aggregate(
                t=Sum("quantity")
            )["t"]
            or 0
        )
        assert line.quantity >= acc >= sent >= got, line

    # The services wrote the history and told people.
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"user.create", "party.create", "crisis.create", "dispatch.create"} <= actions
    italy = _rfa("ITA", "Ventilators")
    assert AuditEntry.objects.filter(target_id=italy.pk, action__startswith="rfa.").count() >= 3
    ita_poc = django_user_model.objects.get(username="ita-poc")
    assert Notification.objects.filter(recipient=ita_poc).exists()
    assert mail.outbox, "notifications are e-mailed too"
    assert ita_poc.check_password(DEMO_PASSWORD)
    assert ita_poc.profile.party.code == "ITA"


def test_loading_twice_reuses_everything(django_user_model: Any) -> None:
    load_demo()
    models: list[Any] = [
        RFA,
        RequestLine,
        Offer,
        OfferLine,
        Dispatch,
        Receipt,
        AuditEntry,
        Notification,
    ]
    before = {m.__name__: m.objects.count() for m in models}
    users = django_user_model.objects.count()
    report = load_demo()
    assert not report.created
    assert report.reused["requests"] == 12
    assert {m.__name__: m.objects.count() for m in models} == before
    assert django_user_model.objects.count() == users
