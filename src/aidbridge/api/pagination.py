"""Paginated lists: one shape for every list endpoint of the API.

Conventions (follow them in every router):

- query parameters ``limit`` (1..200, default 50) and ``offset`` (0..``MAX_OFFSET``,
  default 0; beyond, a 422 naming ``offset``: a database cannot skip 10^20 rows);
- or ``cursor`` instead of ``offset``: the ``next_cursor`` of the page before (empty
  for the first page). The rows after it are found by key (``api.keyset``): no count,
  no skipping, the same cost at any depth; ``count`` and ``offset`` are then null;
- the answer is ``{"count", "limit", "offset", "next", "previous", "next_cursor",
  "items"}`` where ``next``/``previous`` are ready-to-follow URLs (or null; ``next``
  pages by cursor when the page was asked for by cursor) and ``next_cursor`` is null
  on the last page;
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
from django.utils.translation import gettext
from ninja import Field, Schema

from aidbridge.api import keyset

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31 - 1

T = TypeVar("T")


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip")
    cursor: str | None = Field(
        None,
        max_length=keyset.MAX_CURSOR_LENGTH,
        description="Instead of offset: the next_cursor of the page before (empty: the "
        "first page). The page is found without counting or skipping rows; count and "
        "offset are then null.",
    )


class Page(Schema, Generic[T]):
    count: int | None = Field(description="Every matching row; null when paged by cursor")
    limit: int
    offset: int | None = Field(description="Rows skipped; null when paged by cursor")
    next: str | None
    previous: str | None
    next_cursor: str | None = Field(
        description="Pass as cursor for the rows after this page; null on the last page"
    )
    items: list[T]


def _url(request: HttpRequest, limit: int, offset: int = 0, cursor: str | None = None) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("offset", None)
    if cursor is None:
        query["offset"] = str(offset)
    else:
        query["cursor"] = cursor
    query["limit"] = str(limit)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    params: PageParams,
    serialize: Callable[[list[Any]], Sequence[Any]] | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    """One page of ``rows``, by offset (a queryset is counted and sliced in SQL, unless
    the caller knows ``count`` already, e.g. from maintained figures) or by cursor."""
    limit, offset = params.limit, params.offset
    keys = None
    if isinstance(rows, QuerySet):
        ordered = keyset.order_keys(rows)
        if ordered is not None:
            keys, pk_added = ordered
            if pk_added:  # the primary key breaks ties, as the cursor needs
                rows = rows.order_by(*rows.query.order_by or rows.model._meta.ordering, "pk")
            rows = keyset.with_key_values(rows, keys)
    if params.cursor is not None:
        if offset:
            raise keyset.refused(gettext("give either offset or cursor, not both"))
        return _by_cursor(request, rows, params.cursor, limit, keys, serialize)
    if count is None:
        count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    page = list(rows[offset : offset + limit])
    more = offset + limit < count and bool(page)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _url(request, limit, offset + limit) if offset + limit < count else None,
        "previous": _url(request, limit, max(offset - limit, 0)) if offset > 0 else None,
        "next_cursor": keyset.encode(request.path, keys, page[-1], offset + limit)
        if more
        else None,
        "items": list(serialize(page)) if serialize else page,
    }


def _by_cursor(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    cursor: str,
    limit: int,
    keys: list[keyset.Key] | None,
    serialize: Callable[[list[Any]], Sequence[Any]] | None,
) -> dict[str, Any]:
    """The ``limit`` rows after ``cursor``; one more is read to know if there are more."""
    start = 0
    if cursor:
        values, start = keyset.decode(cursor, request.path, keys)
        if values is not None and keys is not None and isinstance(rows, QuerySet):
            rows = keyset.seek(rows, keys, values)
    found = list(rows[start : start + limit + 1])
    page, more = found[:limit], len(found) > limit
    after = keyset.encode(request.path, keys, page[-1], start + limit) if more else None
    return {
        "count": None,
        "limit": limit,
        "offset": None,
        "next": _url(request, limit, cursor=after) if after else None,
        "previous": None,
        "next_cursor": after,
        "items": list(serialize(page)) if serialize else page,
    }
