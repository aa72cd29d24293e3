"""API: the consolidated picture of a crisis (per request line, and totals)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.ordering import apply_ordering
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import PathId
from aidbridge.core.errors import NotFound
from aidbridge.crises.models import Crisis
from aidbridge.offers.models import OfferLine
from aidbridge.reports import selectors
from aidbridge.requests.models import RequestLine

router = Router(tags=["picture"])


class FiguresOut(Schema):
    lines: int
    requested: int
    offered: int = Field(..., description="Open + accepted (not declined or withdrawn)")
    open: int = Field(..., description="Offered, awaiting the requester's decision")
    accepted: int
    dispatched: int
    delivered: int
    outstanding: int = Field(..., description="Requested - accepted, line by line, not below 0")
    over_accepted: int = Field(..., description="Accepted beyond the request, line by line")
    coverage: float | None = Field(..., description="Accepted / requested")


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
    open: int
    accepted: int
    dispatched: int
    delivered: int
    standing: int = Field(..., description="Unsolicited stock not yet drawn on")


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
        accepted = (
            OfferLine.objects.filter(request_line=OuterRef("pk"))
            .values("request_line")
            .annotate(total=Sum("accepted"))
            .values("total")
        )
        lines = lines.annotate(
            accepted_total=Coalesce(Subquery(accepted), 0, output_field=IntegerField())
        )
        if f.outstanding:
            lines = lines.filter(quantity__gt=F("accepted_total"))
        else:
            lines = lines.filter(quantity__lte=F("accepted_total"))
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


@router.get("/crises/{code}/picture", response=PictureOut)
def crisis_picture(
    request: HttpRequest, code: str, filters: Query[LineFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Totals of the whole crisis, and one page of its request lines (filters apply to
    the lines only)."""
    profile_of(request.user)
    crisis = Crisis.objects.filter(code=code).first()
    if crisis is None:
        raise NotFound(f"no crisis {code!r}", field="code")
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
        "lines": paginate(request, ordered, page, _line_rows),
    }
