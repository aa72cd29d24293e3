"""The demo replays 2020 at 2020's times: requests, offers, decisions, dispatches,
receipts, closures and sitreps carry their 2020 dates, in the order of the story, so the
dashboard's chart never shows aid delivered before it was requested or accepted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.demo.loader import load_demo
from aidbridge.demo.open_transfers import WAVES
from aidbridge.demo.scenario import CRISIS_CODE
from aidbridge.ledger.timeline import coverage_over_time
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance as RFA
from aidbridge.requests.models import RequestLine
from aidbridge.sitreps.models import Sitrep

OPEN_WAVE_TITLES = [title for _, title, *_ in WAVES]

pytestmark = pytest.mark.django_db(transaction=True)
END_OF_2020 = datetime(2021, 1, 1, tzinfo=UTC)


def test_the_story_is_dated_in_2020_in_its_order() -> None:
    load_demo()
    assert timezone.now() > END_OF_2020  # the real clock is back once loaded

    italy = RFA.objects.get(requester__code="ITA", title__startswith="Ventilators")
    assert italy.circulated_at is not None
    assert (italy.circulated_at.year, italy.circulated_at.month) == (2020, 3)
    assert italy.reference and italy.reference.startswith("RFA-2020-")
    assert italy.submitted_at is not None
    assert italy.created_at < italy.submitted_at < italy.circulated_at

    line_type = ContentType.objects.get_for_model(OfferLine)
    for line in OfferLine.objects.filter(request_line__rfa=italy).select_related("offer"):
        assert italy.circulated_at < line.offer.created_at, line
        decided = AuditEntry.objects.filter(
            target_type=line_type,
            target_id=line.pk,
            action__in=("offer_line.accept", "offer_line.decline", "offer_line.withdraw"),
        ).values_list("at", flat=True)
        for at in decided:
            assert line.offer.created_at < at, line
        for dispatch in Dispatch.objects.filter(offer_line=line).select_related("receipt"):
            assert all(at <= dispatch.dispatched_at for at in decided), line
            if hasattr(dispatch, "receipt"):
                assert dispatch.dispatched_at <= dispatch.receipt.received_at

    # France's fulfilled request closes after its last receipt (3 April 2020).
    france = RFA.objects.exclude(title__in=OPEN_WAVE_TITLES).get(requester__code="FRA")
    assert france.closed_at and datetime(2020, 4, 3, tzinfo=UTC) < france.closed_at < END_OF_2020

    # The whole story's trail is of 2020 (users, catalogue and fleet are set up today, and
    # so is the open transfer wave left for the visitor's matching run, with the fresh
    # bed reports it needs: ``demo.open_transfers``).
    crisis = Crisis.objects.get(code=CRISIS_CODE)
    wave = RFA.objects.filter(title__in=OPEN_WAVE_TITLES)
    story = (
        AuditEntry.objects.filter(crisis=crisis)
        .exclude(action__startswith="airlift")
        .exclude(target_type__model="requestforassistance", target_id__in=wave.values("pk"))
        .exclude(
            target_type__model="requestline",
            target_id__in=RequestLine.objects.filter(rfa__in=wave).values("pk"),
        )
        .exclude(
            target_type__model="offer",
            target_id__in=Offer.objects.filter(rfa__in=wave).values("pk"),
        )
        .exclude(
            target_type__model="offerline",
            target_id__in=OfferLine.objects.filter(request_line__rfa__in=wave).values("pk"),
        )
    )
    assert wave.count() == len(OPEN_WAVE_TITLES)
    assert story.exists() and not story.filter(at__gte=END_OF_2020).exists()

    sitreps = list(Sitrep.objects.filter(crisis=crisis, status="published").order_by("sequence"))
    assert [s.published_at.date().isoformat() for s in sitreps if s.published_at] == [
        "2020-03-27",
        "2020-04-10",
        "2020-11-20",
    ]
    assert all("(2020)" in (s.message_number or "") for s in sitreps)

    # Aid is never delivered before it was accepted: per request line each day's
    # delivered share is at most its accepted share, so the mean is too.
    points = coverage_over_time(crisis)
    assert points[0].day.year == 2020 and points[-1].day.year == 2020
    assert all(p.delivered <= p.accepted + 1e-9 for p in points)
    assert any(p.delivered > 0 for p in points)
