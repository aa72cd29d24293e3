"""What every searchable list page shares: offers, dispatches, the audit trail, requests.

Each is a GET form (search, filters, sort) over a page of 25 rows, and the same address
with ``format=csv|xlsx|hxl`` takes the filtered list away, written by the exporters of
``aidbridge.interop``. The pages (in their apps) say only what differs: the rows, the
filters, the sorts and the export; ``show`` does the rest, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aidbridge.crises.models import Crisis
from aidbridge.interop.writers import CONTENT_TYPES, EXTENSIONS
from aidbridge.parties.models import Party
from aidbridge.web.affordances import crisis_actions

PAGE_SIZE = 25
COUNT_CAP = 1000  # rows a list page counts, at most: 40 pages of 25
FORMATS = ("csv", "xlsx", "hxl")

# A list taken away: ``export(fmt, crisis)`` gives the file's bytes and its name.
Export = Callable[[str, Crisis | None], tuple[bytes, str]]


def export_file(data: bytes, fmt: str, name: str) -> HttpResponse:
    """A list taken away: ``data`` as an attachment named after the list."""
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS[fmt]}"'
    return response


class BoundedPaginator(Paginator):
    """Pages of a list that counts at most ``COUNT_CAP`` rows.

    Counting every matching row of a crisis of 10,000 requests costs a page as much as
    the whole list; past the cap the page says "more than 1,000" and offers the first
    40 pages (the search, the filters and the exports reach the rest).
    """

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # Which rows are counted does not change how many there are, up to the
            # cap: without the order the database stops at the cap instead of sorting
            # every matching row first.
            return int(rows.order_by()[: self.cap + 1].count())
        return len(rows)

    @property
    def capped(self) -> bool:
        return bool(self.count > self.cap)

    @cached_property
    def num_pages(self) -> int:
        if self.capped:
            return self.cap // self.per_page
        return int(super().num_pages)


def page_of(request: HttpRequest, rows: Any) -> tuple[Page[Any], str]:
    """The asked page and the list's query without it (for the page links)."""
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return page, query.urlencode()


def select(name: str, label: Any, value: str, options: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """One filter of the list's form (``web/_list_controls.html``)."""
    return {"name": name, "label": label, "value": value, "options": list(options)}


def nations() -> list[tuple[str, str]]:
    """The active nations, as the options of a donor, requester or party filter."""
    return [
        (code, code) for code in Party.objects.filter(active=True).values_list("code", flat=True)
    ]


def show(
    request: HttpRequest,
    *,
    chosen: dict[str, str],
    rows: Any,
    nav: str,
    template: str,
    export: Export,
    filters: Callable[[], list[dict[str, Any]]],
    search_hint: Any,
    sorts: Mapping[str, Any],
    **extra: Any,
) -> HttpResponse:
    """The list page (or, with ``format``, its file) of ``rows`` filtered as ``chosen``."""
    crisis = Crisis.objects.filter(code=chosen["crisis"]).first() if chosen["crisis"] else None
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        data, name = export(fmt, crisis)
        return export_file(data, fmt, name)
    page, query = page_of(request, rows)
    context = {
        "crisis": crisis,
        "crisis_actions": crisis_actions(request.user, crisis) if crisis else set(),
        "nav": nav,
        "chosen": chosen,
        "formats": FORMATS,
        "crisis_options": [(c.code, c) for c in Crisis.objects.order_by("-started_on")],
        "page": page,
        "query": query,
        "filters": filters(),
        "search_hint": search_hint,
        "sorts": list(sorts.items()),
        **extra,
    }
    return render(request, template, context)
