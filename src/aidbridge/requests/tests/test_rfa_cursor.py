"""Paging the RFA list by cursor (``api.keyset``): every visible row once and in order,
also while requests are added between pages; never a row the reader may not see; bad
cursors refused by name; the same queries for a short or a long list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

LINE = {"item": "VENT-ICU", "quantity": 3, "delivery_airport": "LIRF"}
# Default order, a text column with ties, a nullable column (drafts were never
# submitted) in both directions, and orders read from the lines (nullable dates).
ORDERINGS = ["", "title", "-submitted", "submitted,-title", "priority", "-needed_by"]


def _walk(
    client: Any, ordering: str, limit: int, between: Callable[[int], None] = lambda n: None
) -> list[int]:
    """The ids of every page by cursor, calling ``between(n)`` after the n-th page."""
    seen: list[int] = []
    params: dict[str, Any] = {"limit": limit, "cursor": ""}
    if ordering:
        params["ordering"] = ordering
    for n in range(100):
        response = client.get("/rfas", **params)
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["count"] is None and body["offset"] is None
        seen += [row["id"] for row in body["items"]]
        if body["next_cursor"] is None:
            assert body["next"] is None
            return seen
        assert f"cursor={body['next_cursor']}" in body["next"].replace("%3A", ":")
        params["cursor"] = body["next_cursor"]
        between(n)
    raise AssertionError("the cursor never reached the end")


def _all(client: Any, ordering: str) -> list[int]:
    params = {"ordering": ordering} if ordering else {}
    return [row["id"] for row in client.get("/rfas", limit=200, **params).json()["items"]]


def _lines(n: int) -> list[dict[str, Any]]:
    """Lines whose top priority and first date vary with ``n`` (some without a date)."""
    line = {**LINE, "priority": 1 + n % 3}
    if n % 3:
        line["needed_by"] = f"2020-04-{1 + n % 4:02d}"
    return [line]


@pytest.fixture
def requests_of_every_kind(draft, circulated, api) -> dict[str, list[int]]:
    """Italy's and Spain's requests in every visibility: what Italy sees and what not."""
    seen: list[int] = []
    hidden: list[int] = []
    for n in range(4):
        seen.append(circulated("ita", title=f"T{n % 2}", lines=_lines(n))["id"])
        seen.append(circulated("esp", title=f"T{n % 3}", lines=_lines(n + 1))["id"])
    seen += [draft("ita", title="T1", lines=_lines(n))["id"] for n in range(2)]
    hidden += [draft("esp", title="T0", lines=_lines(n))["id"] for n in range(2)]
    submitted = draft("esp", title="T2", lines=_lines(2))
    assert api("esp").post(f"/rfas/{submitted['id']}/submit").status_code == 200
    hidden.append(submitted["id"])
    return {"seen": seen, "hidden": hidden, "submitted": [submitted["id"]]}


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("limit", [1, 3])
def test_paging_by_cursor_visits_every_visible_row_once_in_order(
    api, requests_of_every_kind, ordering: str, limit: int
) -> None:
    client = api("ita")
    expected = _all(client, ordering)
    assert set(expected) == set(requests_of_every_kind["seen"])
    assert _walk(client, ordering, limit) == expected


@pytest.mark.parametrize("ordering", ["", "title", "-submitted", "priority"])
def test_rows_added_between_pages_neither_repeat_nor_hide_the_others(
    api, draft, circulated, requests_of_every_kind, ordering: str
) -> None:
    client = api("ita")
    before = set(_all(client, ordering))
    added: list[int] = []

    def add(n: int) -> None:
        added.append(circulated("esp", title=f"T{n % 3}", lines=_lines(n))["id"])
        added.append(draft("ita", title="T0", lines=_lines(n + 1))["id"])
        draft("esp", title="T1", lines=_lines(n))  # never Italy's to see

    seen = _walk(client, ordering, 2, add)
    assert len(seen) == len(set(seen)), "a row came twice"
    assert before <= set(seen) <= before | set(added)
    # In the list's order as it stands now (the added rows that were passed are left out).
    now = _all(client, ordering)
    assert seen == [pk for pk in now if pk in set(seen)]


def test_a_cursor_never_shows_a_row_its_reader_may_not_see(api, requests_of_every_kind) -> None:
    # The centre's cursor stops on Spain's submitted request, which Italy may not see.
    duty = api("duty")
    rows = [r["id"] for r in duty.get("/rfas", limit=200).json()["items"]]
    stop = rows.index(requests_of_every_kind["submitted"][0])
    cursor = duty.get("/rfas", limit=stop + 1).json()["next_cursor"]
    ita = api("ita")
    page = ita.get("/rfas", cursor=cursor, limit=200).json()
    after = [r["id"] for r in page["items"]]
    assert not set(after) & set(requests_of_every_kind["hidden"])
    # Newest first: Italy's rows older than the hidden one, Italy's own drafts included.
    submitted = requests_of_every_kind["submitted"][0]
    assert after == [pk for pk in _all(ita, "") if pk < submitted]
    assert ita.get(f"/rfas/{requests_of_every_kind['submitted'][0]}").status_code == 404


def _refused(response: Any) -> str:
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert [e["field"] for e in body["errors"]] == ["cursor"], body
    return str(body["errors"][0]["message"])


def test_bad_cursors_are_refused_naming_the_parameter(api, circulated) -> None:
    for n in range(3):
        circulated("ita", title=f"T{n}")
    client = api("ita")
    good = client.get("/rfas", limit=1).json()["next_cursor"]
    assert good
    _refused(client.get("/rfas", cursor="not-a-cursor"))
    _refused(client.get("/rfas", cursor=good[:-2] + ("A" if good[-2] != "A" else "B") + good[-1]))
    _refused(client.get("/rfas", cursor="x" * 1001))
    assert "ordering" in _refused(client.get("/rfas", cursor=good, ordering="title"))
    _refused(client.get("/offers", cursor=good))  # another list's
    assert "offset" in _refused(client.get("/rfas", cursor=good, offset=1))
    # The good one still works, and an empty cursor is the first page.
    assert client.get("/rfas", cursor=good).status_code == 200
    assert len(client.get("/rfas", cursor="", limit=1).json()["items"]) == 1


def test_a_page_by_cursor_costs_the_same_queries_for_3_or_13_requests(api, circulated) -> None:
    client = api("ocha")

    def queries() -> int:
        first = client.get("/rfas", limit=1).json()["next_cursor"]
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/rfas", limit=1, cursor=first)
        assert response.status_code == 200 and len(response.json()["items"]) == 1
        with CaptureQueriesContext(connection) as by_item:
            assert client.get("/rfas", limit=2, cursor="", item="VENT-ICU").status_code == 200
        return len(captured) + 100 * len(by_item)

    for _ in range(3):
        circulated("ita", lines=[LINE])
    client.get("/rfas")  # the token's first use records when it was used
    few = queries()
    for _ in range(10):
        circulated("esp", lines=[LINE, LINE])
    assert queries() == few
