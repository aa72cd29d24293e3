"""API: the consolidated picture of a crisis (per request line, and totals)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.cached import cached_json
from aidbridge.api.ordering import apply_ordering
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import PathId
from aidbridge.core.errors import NotFound
from aidbridge.crises.models import Crisis
from aidbridge.ledger.sums import with_outstanding
from aidbridge.reports import selectors
from aidbridge.requests.models import RequestLine

router = Router(tags=["picture"])


class FiguresOut(Schema):
    """The ledger's figures; see the README's glossary for each definition."""

    lines: int
    open_lines: int = Field(..., description="Lines of requests still circulated")
    requested: int
    offered: int = Field(..., description="Awaiting decision + accepted (not declined)")
    awaiting: int = Field(..., description="Offered, awaiting the requester's decision")
    open: int = Field(..., description="Same as awaiting (earlier name)")
    accepted: int
    declined: int
    over_accepted: int = Field(..., description="Accepted beyond the request, line by line")
    dispatched: int
    in_transit: int = Field(..., description="Dispatched, no receipt yet")
    delivered: int
    short_on_arrival: int = Field(..., description="Dispatched - received, over receipts")
    outstanding: int = Field(
        ..., description="Requested - accepted, line by line, not below 0; 0 once closed"
    )
    coverage: float | None = Field(..., description="min(accepted, requested) / requested")


class NationTotalOut(FiguresOut):
    party: str
    name: str


class ItemTotalOut(FiguresOut):
    item: str
    name: str
    unit: str


class DonorTotalOut(Schema):
    party: str
    name: str
    offers: int
    offered: int
    awaiting: int
    open: int = Field(..., description="Same as awaiting (earlier name)")
    accepted: int
    declined: int
    dispatched: int
    in_transit: int
    delivered: int
    short_on_arrival: int
    pledged: int = Field(..., description="Standing stock pledged (not declined)")
    drawn: int = Field(..., description="Standing stock drawn into offers")
    available: int = Field(..., description="Standing stock still free: pledged - drawn")
    standing: int = Field(..., description="Same as available (earlier name)")


class PictureLineOut(FiguresOut):
    id: int
    rfa: int
    rfa_reference: str | None
    rfa_status: str
    requester: str
    position: int
    item: str
    item_name: str
    unit: str
    priority: int
    needed_by: date | None


class PictureOut(Schema):
    crisis: str
    overall: FiguresOut
    by_nation: list[NationTotalOut]
    by_item: list[ItemTotalOut]
    by_donor: list[DonorTotalOut]
    lines: Page[PictureLineOut]


class LineFilters(Schema):
    requester: str | None = Field(None, description="Requesting party code")
    item: str | None = Field(None, description="Item code")
    rfa: PathId | None = Field(None, description="RFA id")
    priority: int | None = Field(None, ge=1, le=3)
    outstanding: bool | None = Field(None, description="Only lines still (not) fully covered")
    ordering: str | None = Field(None, description="rfa, priority, needed_by, item")


LINE_ORDERING = {
    "rfa": "rfa__reference",
    "priority": "priority",
    "needed_by": "needed_by",
    "item": "item__code",
}


def _filtered(lines: QuerySet[RequestLine], f: LineFilters) -> QuerySet[RequestLine]:
    if f.requester:
        lines = lines.filter(rfa__requester__code__iexact=f.requester)
    if f.item:
        lines = lines.filter(item__code__iexact=f.item)
    if f.rfa is not None:
        lines = lines.filter(rfa_id=f.rfa)
    if f.priority is not None:
        lines = lines.filter(priority=f.priority)
    if f.outstanding is not None:
        lines = with_outstanding(lines)
        lines = lines.filter(Q(outstanding__gt=0) if f.outstanding else Q(outstanding=0))
    return lines


def _line_rows(lines: list[RequestLine]) -> list[dict[str, Any]]:
    figures = selectors.line_figures(lines)
    return [
        {
            **figures[ln.pk].as_dict(),
            "id": ln.pk,
            "rfa": ln.rfa_id,
            "rfa_reference": ln.rfa.reference,
            "rfa_status": ln.rfa.status,
            "requester": ln.rfa.requester.code,
            "position": ln.position,
            "item": ln.item.code,
            "item_name": ln.item.name,
            "unit": ln.unit,
            "priority": ln.priority,
            "needed_by": ln.needed_by,
        }
        for ln in lines
    ]


def _known_count(totals: Any, f: LineFilters) -> int | None:
    """The number of lines the filters keep, when the totals already say it (no need to
    count a long crisis's lines again); None when only a count can tell."""
    if f.rfa is not None or f.priority is not None or f.outstanding is not None:
        return None
    if f.requester and f.item:
        return None
    if f.requester:
        by = [fig for p, fig in totals.by_nation if p.code.lower() == f.requester.lower()]
        return sum(fig.lines for fig in by)
    if f.item:
        return sum(fig.lines for i, fig in totals.by_item if i.code.lower() == f.item.lower())
    return int(totals.overall.lines)


@router.get("/crises/{code}/picture", response=PictureOut)
def crisis_picture(
    request: HttpRequest, code: str, filters: Query[LineFilters], page: Query[PageParams]
) -> HttpResponse:
    """Totals of the whole crisis, and one page of its request lines (filters apply to
    the lines only)."""
    profile = profile_of(request.user)
    crisis = Crisis.objects.filter(code=code).first()
    if crisis is None:
        raise NotFound(gettext("no crisis %(code)s") % {"code": repr(code)}, field="code")
    # Computed and serialised once per state of the crisis's figures: a large crisis's
    # picture costs tens of ms of CPU, a cache read well under one.
    return cached_json(
        request,
        name="picture",
        version=selectors.picture_version(crisis),
        audience=selectors.picture_audience(profile),
        schema=PictureOut,
        make=lambda: _picture(request, crisis, filters, page),
    )


def _picture(
    request: HttpRequest, crisis: Crisis, filters: LineFilters, page: PageParams
) -> dict[str, Any]:
    totals = selectors.crisis_totals(crisis)
    lines = _filtered(selectors.pictured_lines(crisis), filters)
    ordered = apply_ordering(lines, filters.ordering, LINE_ORDERING, "rfa")
    return {
        "crisis": crisis.code,
        "overall": totals.overall.as_dict(),
        "by_nation": [
            {**f.as_dict(), "party": p.code, "name": p.name_en} for p, f in totals.by_nation
        ],
        "by_item": [
            {**f.as_dict(), "item": i.code, "name": i.name, "unit": i.unit}
            for i, f in totals.by_item
        ],
        "by_donor": [
            {**f.as_dict(), "party": p.code, "name": p.name_en} for p, f in totals.by_donor
        ],
        "lines": paginate(request, ordered, page, _line_rows, count=_known_count(totals, filters)),
    }
