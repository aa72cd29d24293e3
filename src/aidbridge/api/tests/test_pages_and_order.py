"""The list conventions of ``api.pagination`` and ``api.ordering``, on a real endpoint
(the catalogue's items: four rows, three of them in one category, so ties happen):
limits and offsets are bounded and refused by name, links lead through every row once,
ordering takes only the public names and breaks ties by id, in the sort's direction."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from aidbridge.api.pagination import MAX_LIMIT, MAX_OFFSET

pytestmark = pytest.mark.django_db

ITEMS = "/catalogue/items"


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["code"] for row in response.json()["items"]]


def _refused(response: Any, field: str) -> str:
    """The message of a 422 that names ``field`` (and only it)."""
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert body["code"] == "validation_error"
    assert [e["field"] for e in body["errors"]] == [field], body
    return body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": MAX_LIMIT + 1}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": MAX_OFFSET + 1}, "offset"),
        ({"offset": "10**20"}, "offset"),
        ({"offset": "1.5"}, "offset"),
    ],
)
def test_out_of_range_or_malformed_page_parameters_are_refused_by_name(
    api, items, params: dict[str, Any], field: str
) -> None:
    _refused(api("ocha").get(ITEMS, **params), field)


def test_the_bounds_themselves_are_accepted(api, items) -> None:
    client = api("ocha")
    assert len(_codes(client.get(ITEMS, limit=MAX_LIMIT))) == 4
    assert _codes(client.get(ITEMS, limit=1)) == ["MASK-SURG"]
    far = client.get(ITEMS, offset=MAX_OFFSET).json()
    # Past the end: no rows, the true count, no next page, a way back.
    assert (far["items"], far["count"], far["next"]) == ([], 4, None)
    assert far["previous"] is not None


def test_following_next_visits_every_row_once_in_order_and_keeps_the_filters(api, items) -> None:
    client = api("ocha")
    seen: list[str] = []
    response = client.get(ITEMS, ordering="-category", limit=1)
    pages = 0
    while True:
        body = response.json()
        seen += [row["code"] for row in body["items"]]
        pages += 1
        if body["next"] is None:
            break
        query = parse_qs(urlsplit(body["next"]).query)
        assert query["ordering"] == ["-category"] and query["limit"] == ["1"]
        response = client.client.get(body["next"], headers=client.headers)
    # Three PPE items tie on the category: the id breaks the tie, descending with it.
    assert seen == ["SUIT-PROT", "RESP-FFP2", "MASK-SURG", "VENT-ICU"]
    assert pages == 4
    last = response.json()
    assert parse_qs(urlsplit(last["previous"]).query)["offset"] == ["2"]


def test_ordering_by_allowed_names_ascending_descending_and_combined(api, items) -> None:
    client = api("ocha")
    assert _codes(client.get(ITEMS)) == ["MASK-SURG", "RESP-FFP2", "SUIT-PROT", "VENT-ICU"]
    assert _codes(client.get(ITEMS, ordering="category")) == [
        "VENT-ICU",
        "MASK-SURG",
        "RESP-FFP2",
        "SUIT-PROT",
    ]
    assert _codes(client.get(ITEMS, ordering="-category,name_en")) == [
        "RESP-FFP2",  # FFP2 respirator
        "SUIT-PROT",  # Protective suit
        "MASK-SURG",  # Surgical mask
        "VENT-ICU",
    ]
    # By the French name (the two "Masque ..." compare by case on SQLite, not on
    # PostgreSQL's collation: only the ends are the same on both).
    by_french = _codes(client.get(ITEMS, ordering="-name_fr"))
    assert (by_french[0], by_french[-1]) == ("VENT-ICU", "SUIT-PROT")
    # Empty terms (a trailing comma) are ignored, not an error.
    assert _codes(client.get(ITEMS, ordering="-code,")) == [
        "VENT-ICU",
        "SUIT-PROT",
        "RESP-FFP2",
        "MASK-SURG",
    ]


@pytest.mark.parametrize(
    "ordering", ["unit_weight_kg", "-id", "pk", "category__code", "-", "code;"]
)
def test_ordering_by_anything_else_is_refused_naming_the_choices(api, items, ordering) -> None:
    message = _refused(api("ocha").get(ITEMS, ordering=ordering), "ordering")
    assert message.endswith("choose from: category, code, name_en, name_fr")


@pytest.mark.parametrize("ordering", ["-category", "category,-name_en", "code", "-name_fr"])
def test_following_next_by_cursor_gives_the_rows_of_the_offset_pages(api, items, ordering) -> None:
    client = api("ocha")
    by_offset = _codes(client.get(ITEMS, ordering=ordering))
    seen: list[str] = []
    response = client.get(ITEMS, ordering=ordering, limit=1, cursor="")
    while True:
        body = response.json()
        assert (body["count"], body["offset"], body["previous"]) == (None, None, None)
        seen += [row["code"] for row in body["items"]]
        if body["next"] is None:
            assert body["next_cursor"] is None
            break
        query = parse_qs(urlsplit(body["next"]).query)
        assert query["cursor"] == [body["next_cursor"]] and "offset" not in query
        assert query["ordering"] == [ordering] and query["limit"] == ["1"]
        response = client.client.get(body["next"], headers=client.headers)
    assert seen == by_offset
    # An offset page hands over to cursors: its next_cursor leads on from its last row.
    second = client.get(ITEMS, ordering=ordering, limit=2, offset=1).json()
    rest = client.get(ITEMS, ordering=ordering, cursor=second["next_cursor"]).json()
    assert [r["code"] for r in rest["items"]] == by_offset[3:]
