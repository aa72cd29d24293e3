"""The crises ``bench/api.py`` times: built with bulk inserts, or found in a kept database.

A crisis of N RFAs x 10 lines (every status, drafts included) and 5N offers of one to
three lines (about 10N offer lines in every state: open, partly and fully accepted,
declined, withdrawn, now and then over-accepted; 1 offer in 25 unsolicited standing
stock), half of the accepted lines dispatched (about 2.5N dispatches: 25,000 at 10,000
RFAs, as issue 15 asks) and two thirds of those received, some short.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

REQUESTERS = ["ITA", "ESP", "FRA", "CZE", "BGR", "MNE", "MKD"]
DONORS = ["DEU", "AUT", "NLD", "TUR", "USA", "LUX", "POL", "NOR"]


def built_before() -> bool:
    from aidbridge.crises.models import Crisis

    return Crisis.objects.filter(code="large").exists()


def reuse() -> dict[str, Any]:
    """The users of a database built by an earlier run."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    return {name: model.objects.get(username=name) for name in ("duty", "ita")}


def busiest(code: str) -> int:
    """The detail's request: Italy's circulated request with the most offers."""
    from django.db.models import Count

    from aidbridge.requests.models import RequestForAssistance

    rfa = (
        RequestForAssistance.objects.filter(
            crisis__code=code, requester__code="ITA", status="circulated"
        )
        .annotate(n=Count("offers"))
        .order_by("-n", "pk")
        .first()
    )
    assert rfa is not None
    return rfa.pk


def make_parties_and_users() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from aidbridge.accounts.models import Profile, Role
    from aidbridge.catalogue.models import Category, Item
    from aidbridge.parties.models import Party

    centre = Party.objects.create(code="CENTRE", kind="centre", name_en="Centre", name_fr="Centre")
    parties = {
        p.code: p
        for p in Party.objects.bulk_create(
            Party(code=c, kind="nation", name_en=c, name_fr=c) for c in REQUESTERS + DONORS
        )
    }
    model = get_user_model()
    duty = model.objects.create_user("duty", "duty@example.org", "x")
    Profile.objects.create(user=duty, party=centre, role=Role.CENTRE_OFFICER)
    ita = model.objects.create_user("ita", "ita@example.org", "x")
    Profile.objects.create(user=ita, party=parties["ITA"], role=Role.NATIONAL_POC)
    category = Category.objects.create(code="MED", name_en="Medical", name_fr="Médical")
    items = Item.objects.bulk_create(
        Item(
            code=f"ITEM-{i:02d}",
            category=category,
            name_en=f"Item {i}",
            name_fr=f"Article {i}",
            unit="piece",
            unit_weight_kg=Decimal("2.5"),
            unit_volume_m3=Decimal("0.01"),
        )
        for i in range(60)
    )
    return {"parties": parties, "duty": duty, "ita": ita, "items": items}


def build(code: str, users: dict[str, Any], n_rfas: int, n_lines: int, n_offers: int) -> str:
    """A crisis of ``n_rfas`` RFAs and ``n_offers`` offers in every state; its code."""
    from aidbridge.crises.models import Crisis
    from aidbridge.logistics.models import Dispatch, Receipt
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.requests.models import RequestForAssistance, RequestLine

    rng = random.Random(2020)
    parties, duty, items = users["parties"], users["duty"], users["items"]
    crisis = Crisis.objects.create(
        code=code, name_en=f"Crisis {code}", name_fr=f"Crise {code}", started_on=date(2020, 3, 1)
    )
    now = datetime(2020, 3, 20, tzinfo=UTC)
    statuses = ["circulated"] * 7 + ["closed", "submitted", "draft"]
    rfas = RequestForAssistance.objects.bulk_create(
        RequestForAssistance(
            crisis=crisis,
            requester=parties[REQUESTERS[i % len(REQUESTERS)]],
            reference=None if (s := statuses[i % 10]) == "draft" else f"RFA-{code}-{i + 1:05d}",
            title=f"Request {i + 1}",
            status=s,
            created_by=duty,
            submitted_at=None if s == "draft" else now,
            circulated_at=now + timedelta(minutes=i) if s in {"circulated", "closed"} else None,
        )
        for i in range(n_rfas)
    )
    lines = RequestLine.objects.bulk_create(
        RequestLine(
            rfa=rfa,
            position=p + 1,
            item=rng.choice(items),
            quantity=rng.randint(10, 5000),
            unit="piece",
            priority=rng.randint(1, 3),
            needed_by=date(2020, 4, 1),
            delivery_airport="LIRF",
        )
        for rfa in rfas
        for p in range(n_lines)
    )
    pictured = [ln for ln in lines if ln.rfa.status != "draft"]
    lines_of: dict[int, list[Any]] = {}
    for ln in lines:
        lines_of.setdefault(ln.rfa.pk, []).append(ln)
    offers = Offer.objects.bulk_create(
        Offer(
            crisis=crisis,
            donor=parties[DONORS[i % len(DONORS)]],
            rfa=None if i % 25 == 0 else pictured[(i * 7) % len(pictured)].rfa,
            reference=f"OFR-{code}-{i + 1:05d}",
            created_by=duty,
        )
        for i in range(n_offers)
    )
    offer_lines: list[OfferLine] = []
    for i, offer in enumerate(offers):
        for k in range(1 + i % 3):  # one to three lines: about two per offer
            if offer.rfa is None:
                offer_lines.append(
                    OfferLine(offer=offer, item=rng.choice(items), quantity=rng.randint(50, 900))
                )
                continue
            need = lines_of[offer.rfa.pk][(i + k) % n_lines]
            offer_lines.append(decided(rng, offer, need, i + k))
    offer_lines = OfferLine.objects.bulk_create(offer_lines)
    dispatches = Dispatch.objects.bulk_create(
        Dispatch(
            offer_line=ol,
            crisis_id=ol.offer.crisis_id,
            requester_id=ol.request_line.rfa.requester_id if ol.request_line else None,
            quantity=max(ol.accepted // 2, 1),
            mode=("airlift", "road", "donor", "commercial")[i % 4],
            dispatched_at=now + timedelta(days=i % 20),
            reported_by=duty,
        )
        for i, ol in enumerate(offer_lines)
        if ol.accepted and i % 2
    )
    Receipt.objects.bulk_create(
        Receipt(
            dispatch=d,
            crisis_id=d.crisis_id,
            quantity=d.quantity - (1 if i % 7 == 0 else 0),
            received_at=d.dispatched_at + timedelta(days=1),
            note="one damaged" if i % 7 == 0 else "",
            confirmed_by=duty,
        )
        for i, d in enumerate(dispatches)
        if i % 3
    )
    print(
        f"  crisis {code!r}: {len(rfas)} RFAs, {len(lines)} lines, {len(offers)} offers, "
        f"{len(offer_lines)} offer lines, {len(dispatches)} dispatches",
        flush=True,
    )
    return code


def decided(rng: random.Random, offer: Any, need: Any, i: int) -> Any:
    """An offer line against ``need`` in one of the states a real crisis shows."""
    from aidbridge.offers.models import OfferLine

    quantity = rng.randint(5, max(need.quantity // 2, 6))
    line = OfferLine(offer=offer, request_line=need, item_id=need.item_id, quantity=quantity)
    kind = i % 6
    if kind in (1, 2):  # accepted, the rest declined
        line.accepted, line.declined, line.status = (
            quantity // 2,
            quantity - quantity // 2,
            "accepted",
        )
        line.decline_reason = "enough"
    elif kind == 3:  # partly accepted, the rest awaiting a decision
        line.accepted = quantity // 3
    elif kind == 4:
        line.declined, line.status, line.decline_reason = quantity, "declined", "wrong model"
    elif kind == 5 and i % 12 == 5:
        line.status = "withdrawn"
    if i % 97 == 0:  # now and then, more than asked, on purpose
        line.quantity = need.quantity + 10
        line.accepted, line.declined, line.status = need.quantity + 10, 0, "accepted"
        line.over_acceptance_reason = "reserve"
    return line
