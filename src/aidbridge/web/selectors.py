"""Reads that only the pages need: the dashboard's key figures and latest changes, and
a request's lines with their progress (its worklists are ``web.worklists``).

Who may see what is decided by each entity's selector (``requests.selectors``,
``offers.selectors``, ``audit.selectors``); every query here starts from one of them or
from the actor's own party, never from a rule of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import visible_among
from aidbridge.core import worldmap
from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import accepted_flows, crisis_summary
from aidbridge.ledger.readings import fingerprint
from aidbridge.ledger.sums import pictured_rfas, with_movement
from aidbridge.ledger.timeline import CoveragePoint, coverage_over_time
from aidbridge.logistics.selectors import deliveries_since
from aidbridge.offers.models import OfferLine
from aidbridge.offers.selectors import offers_visible_to
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.selectors import rfas_visible_to
from aidbridge.sitreps.charts import share_over_time_chart
from aidbridge.sitreps.labels import label

Status = RequestForAssistance.Status
T = TypeVar("T")


def offer_lines_with_movement() -> QuerySet[OfferLine]:
    """Offer lines with the ledger's movement figures and "left to dispatch"."""
    return with_movement(OfferLine.objects.select_related("item", "offer__donor"))


def key_figures(actor: Any, crisis: Crisis) -> dict[str, Any]:
    """Open requests the user can see, the picture's coverage, the last week's receipts."""
    visible = rfas_visible_to(actor).filter(crisis=crisis)
    open_rfas = visible.filter(status__in=[Status.SUBMITTED, Status.CIRCULATED]).count()
    summary = crisis_summary(crisis)
    week_ago = timezone.now() - timedelta(days=7)
    deliveries = deliveries_since(actor, crisis, week_ago)
    # Every role sees every offer the donors' figures count (standing, or answering a
    # request in the picture: ``offers.selectors``), so the offers this user sees are
    # those (maintained, ``DonorFigures.offers``) and the few visible beyond them,
    # offers on requests not circulated, found from those requests.
    beyond = offers_visible_to(actor).filter(
        crisis=crisis,
        rfa__in=RequestForAssistance.objects.filter(crisis=crisis, circulated_at__isnull=True),
    )
    return {
        "open_rfas": open_rfas,
        "overall": summary.overall,
        "delivered_week": deliveries,
        "offers": sum(f.offers for f in summary.donors.values()) + beyond.count(),
    }


def latest_changes(actor: Any, crisis: Crisis, limit: int = 10) -> list[AuditEntry]:
    """The newest audit entries of the crisis that this user may see: an entry follows
    its target (``audit.selectors.visible_among``: the rule of ``entries_visible_to``),
    so a nation's live drafts stay its own, even from the centre."""
    newest = (
        AuditEntry.objects.filter(crisis=crisis)
        .select_related("actor", "actor_party")
        .order_by("-at", "-pk")
    )
    # Newest first, a page at a time (the index on crisis and time), each page's entries
    # checked by the rule for those entries only: the cost follows what is shown, not the
    # size of the trail. Pages grow, so a user who sees few entries still gets the same.
    found: list[AuditEntry] = []
    start, size = 0, 4 * limit
    while len(found) < limit:
        page = list(newest[start : start + size])
        found += visible_among(actor, page)
        if len(page) < size:
            break
        start, size = start + size, size * 2
    return found[:limit]


def flow_map(crisis: Crisis, lang: str) -> str:
    """The sitrep's map of the crisis (``core.worldmap``), as SVG: nations by role and
    the accepted aid between them, framed on the requesting nations. Everything on it
    is of the picture (circulated requests), which every role reads."""

    def draw() -> str:
        flows = tuple(
            (f["donor"], f["nation"], f["tonnes"], f["lines"]) for f in accepted_flows(crisis)
        )
        requesting = frozenset(pictured_rfas(crisis).values_list("requester__code", flat=True))
        return _drawn_map(flows, requesting, lang)

    return str(_cached("flow_map", crisis, lang, draw))


# How long a drawing of the crisis's history is kept when its figures do not change (an
# edit outside the figures, e.g. an item's weight, shows within this).
HISTORY_TTL_S = 300


def _cached(name: str, crisis: Crisis, lang: str, make: Callable[[], T]) -> T:
    """``make()`` cached under the crisis's figures (``ledger.readings.fingerprint``):
    the chart and the map read the whole crisis's history, which only changes when its
    figures do, so a dashboard reads two small aggregates instead."""
    key = f"web:{name}:{lang}:{fingerprint(crisis)}"
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, HISTORY_TTL_S)
    return cast(T, found)


@lru_cache(maxsize=32)
def _drawn_map(
    flows: tuple[tuple[str, str, float, int], ...], requesting: frozenset[str], lang: str
) -> str:
    # Projecting the world's coasts costs more than the rest of the dashboard: drawn
    # once per distinct picture (the same flows and nations give the same map).
    rows = [{"donor": d, "nation": n, "tonnes": t, "lines": k} for d, n, t, k in flows]
    labels = {key: label(key, lang) for key in worldmap.FLOW_MAP_LABELS}
    return worldmap.flow_map(rows, set(requesting), {d for d, *_ in flows}, labels)


def coverage_chart(crisis: Crisis, lang: str) -> tuple[list[CoveragePoint], str]:
    """The crisis's share of requested units accepted and delivered, day by day (the
    ledger's ``coverage_over_time``), and its chart as SVG. Everything on it is of the
    picture (circulated requests), which every role reads."""

    def draw() -> tuple[list[CoveragePoint], str]:
        points = coverage_over_time(crisis)
        return points, share_over_time_chart(points, lang)

    return _cached("coverage", crisis, lang, draw)
