"""Paginated lists: one shape for every list endpoint of the API.

Conventions (follow them in every router):

- query parameters ``limit`` (1..200, default 50) and ``offset`` (0..``MAX_OFFSET``,
  default 0; beyond, a 422 naming ``offset``: a database cannot skip 10^20 rows);
- the answer is ``{"count", "limit", "offset", "next", "previous", "items"}`` where
  ``next``/``previous`` are ready-to-follow URLs (or null);
- filters are a ``Schema`` taken as ``filters: Query[...]`` so a bad value is reported
  under its own query-parameter name; ordering is ``?ordering=`` (see ``api.ordering``);
- the endpoint passes the filtered, ordered queryset to :func:`paginate` and gets the
  page; ``serialize`` runs on the page's rows only, so per-row extras (figures from
  another table) cost one query per page, not one per row.

Usage::

    @router.get("/things", response=Page[ThingOut])
    def list_things(request, filters: Query[ThingFilters], page: Query[PageParams]):
        qs = selectors.thing_list(request.user, **filters.dict())
        return paginate(request, qs, page)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31 - 1

T = TypeVar("T")


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip")


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[T]


def _url(request: HttpRequest, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    query["limit"] = str(limit)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    params: PageParams,
    serialize: Callable[[list[Any]], Sequence[Any]] | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    """One page of ``rows`` (a queryset is counted and sliced in SQL, unless the caller
    knows ``count`` already, e.g. from maintained figures)."""
    if count is None:
        count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    limit, offset = params.limit, params.offset
    page = list(rows[offset : offset + limit])
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _url(request, offset + limit, limit) if offset + limit < count else None,
        "previous": _url(request, max(offset - limit, 0), limit) if offset > 0 else None,
        "items": list(serialize(page)) if serialize else page,
    }
