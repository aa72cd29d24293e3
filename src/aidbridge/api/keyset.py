"""Cursors for the API's lists: the rows after the last one a client saw, found by key.

A page asked for by ``offset`` makes the database count every matching row and skip
the first ``offset`` of them: the cost grows with the list, not with the page. A cursor
names the last row of a page by its values in the list's order (and its primary key,
the last tie-breaker), so the next page is ``WHERE (order keys) come after (those
values) ... LIMIT n``: an index on the order keys finds it without counting or skipping.

- The cursor is opaque and signed (``django.core.signing``): a client cannot make one
  up, and one made for another list or another ``ordering`` is refused (422 naming
  ``cursor``). It holds only what the client was shown (the last row's order values).
- It carries no filter and no visibility: the next page is the same filtered query as
  before (``next`` repeats the filters), so a cursor never shows a row its reader may
  not see, and rows added meanwhile appear where the order puts them.
- NULLs sort where the database puts them (PostgreSQL: after every value in ascending
  order; SQLite: before), so the order of a list does not change with its paging.
- A list whose order is not a list of plain columns (an expression, a relation ordered
  by its model's ``Meta.ordering``, a grouped query) or a list held in memory gets a
  cursor holding an offset: the same contract for every list, without the saving.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.query import ModelIterable
from django.utils.translation import gettext

from aidbridge.core.errors import ValidationFailed

SALT = "aidbridge.api.cursor"
MAX_CURSOR_LENGTH = 1000


@dataclass(frozen=True)
class Key:
    """One order key: a column (through relations) or an annotation of the list."""

    name: str
    descending: bool
    nullable: bool


def refused(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="cursor")


# --- the list's order -----------------------------------------------------------------
def _field_key(model: type[Model], name: str, descending: bool) -> Key | None:
    """The key of ``name`` (``requester__code``), or None if it is a relation (ordered
    by the related model's own ordering) or unknown."""
    nullable = False
    parts = name.split("__")
    for i, part in enumerate(parts):
        if part == "pk":
            field: Any = model._meta.pk
        else:
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None
        nullable = nullable or bool(getattr(field, "null", False))
        if field.is_relation:
            if i == len(parts) - 1 or field.many_to_many or field.one_to_many:
                return None
            model = field.related_model
        elif i != len(parts) - 1:
            return None
    return Key(name, descending, nullable)


def order_keys(rows: QuerySet[Any]) -> tuple[list[Key], bool] | None:
    """The keys ``rows`` is ordered by, ending with the primary key, and whether the
    primary key had to be added to its order; None if the order cannot be sought by key
    (see the module docstring)."""
    query = rows.query
    if (
        query.group_by is not None
        or query.distinct_fields
        or query.combinator
        or query.extra_order_by
        or rows._iterable_class is not ModelIterable
    ):
        return None
    terms: list[Any] = list(query.order_by)
    if not terms and query.default_ordering:
        terms = list(query.get_meta().ordering or ())
    keys: list[Key] = []
    for term in terms:
        if isinstance(term, str):
            name, descending = term.lstrip("-"), term.startswith("-")
        elif (
            isinstance(term, OrderBy)
            and isinstance(term.expression, F)
            and not (term.nulls_first or term.nulls_last)
        ):
            name, descending = str(term.expression.name), term.descending  # type: ignore[attr-defined]
        else:
            return None
        key: Key | None
        if name in query.annotations:
            key = Key(name, descending, True)
        elif name == "?" or "." in name:
            return None
        else:
            pk_name = rows.model._meta.pk.name
            key = _field_key(rows.model, "pk" if name == pk_name else name, descending)
        if key is None:
            return None
        keys.append(key)
        if key.name == "pk":
            return keys, False
    return ([*keys, Key("pk", False, False)], True) if keys else None


# --- where a page starts ----------------------------------------------------------------
def _after(key: Key, value: Any, nulls_large: bool) -> Q | None:
    """Rows strictly after ``value`` in ``key``'s order (None: no row can be)."""
    if value is None:
        # NULLs sort last if they are "large" in ascending order, or "small" descending.
        nulls_last = nulls_large != key.descending
        return None if nulls_last else Q(**{f"{key.name}__isnull": False})
    q = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
    if key.nullable and nulls_large != key.descending:
        q |= Q(**{f"{key.name}__isnull": True})
    return q


def _equal(key: Key, value: Any) -> Q:
    if value is None:
        return Q(**{f"{key.name}__isnull": True})
    return Q(**{key.name: value})


def after(keys: Sequence[Key], values: Sequence[Any], vendor: str) -> Q:
    """Rows after the row whose order values are ``values``: the first key after, or
    equal and the second after, and so on (the primary key ends every order)."""
    nulls_large = vendor in ("postgresql", "oracle")
    either: list[Q] = []
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        step = _after(key, value, nulls_large)
        if step is not None:
            either.append(equal & step)
        equal &= _equal(key, value)
    if not either:
        return Q(pk__in=[])
    found = either[0]
    for q in either[1:]:
        found |= q
    first, start = keys[0], values[0]
    if start is not None and not first.nullable and len(keys) > 1:
        # The same bound, loosely, on the first key alone: what an index can seek to.
        found &= Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": start})
    return found


# --- the cursor itself --------------------------------------------------------------------
def _dump(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    return value


def _load(value: Any) -> Any:
    if isinstance(value, dict):
        ((tag, text),) = value.items()
        parse: dict[str, Any] = {
            "dt": datetime.fromisoformat,
            "d": date.fromisoformat,
            "dec": Decimal,
        }
        return parse[tag](text)
    return value


def _signature(keys: Sequence[Key] | None) -> list[str]:
    return [("-" if k.descending else "") + k.name for k in keys or ()]


def encode(path: str, keys: Sequence[Key] | None, last: Any, offset: int) -> str:
    """The cursor of the rows after ``last`` (or, without keys, after ``offset`` rows)."""
    payload: dict[str, Any] = {"p": path, "o": _signature(keys)}
    if keys is None:
        payload["n"] = offset
    else:
        payload["k"] = [_dump(value_of(last, i, k)) for i, k in enumerate(keys)]
    return signing.dumps(payload, salt=SALT, compress=True)


def decode(cursor: str, path: str, keys: Sequence[Key] | None) -> tuple[list[Any] | None, int]:
    """The order values (or the offset) a cursor of this list holds; 422 otherwise."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise refused(gettext("not a cursor: too long"))
    try:
        payload = signing.loads(cursor, salt=SALT)
        if payload["p"] != path or payload["o"] != _signature(keys):
            raise refused(
                gettext("this cursor belongs to another list or ordering; start again without it")
            )
        if keys is None:
            return None, int(payload["n"])
        values = [_load(v) for v in payload["k"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise refused(gettext("not a cursor this API gave: use a page's next_cursor")) from error
    if len(values) != len(keys):
        raise refused(gettext("not a cursor this API gave: use a page's next_cursor"))
    return values, 0


def with_key_values(rows: QuerySet[Any], keys: Sequence[Key]) -> QuerySet[Any]:
    """``rows`` carrying each order value (``_cursor_<i>``) so a page's last row names
    its cursor without another query."""
    return rows.annotate(
        **{f"_cursor_{i}": F(k.name) for i, k in enumerate(keys) if k.name != "pk"}
    )


def value_of(row: Any, i: int, key: Key) -> Any:
    return getattr(row, "pk" if key.name == "pk" else f"_cursor_{i}")


def seek(rows: QuerySet[Any], keys: Sequence[Key], values: Sequence[Any]) -> QuerySet[Any]:
    return rows.filter(after(keys, values, connections[rows.db].vendor))
