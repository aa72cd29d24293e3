"""Listing offers: filters, ordering, pagination and a constant number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aidbridge.offers.tests.factories import circulated_rfa, offer_against


def _refs(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [o["reference"] for o in response.json()["items"]]


def test_offers_are_filtered_and_ordered(api, crisis, parties, users, items, ita_rfa) -> None:
    esp_rfa = circulated_rfa(crisis, parties["ESP"], users["esp"], [(items["SUIT-PROT"], 900)])
    a = offer_against(api("deu"), ita_rfa, 50)
    b = offer_against(api("tur"), ita_rfa, 10, 5_000)
    c = offer_against(api("deu"), esp_rfa, 300)
    stock = api("stock").post(
        f"/crises/{crisis.code}/unsolicited-offers",
        {"lines": [{"item": "RESP-FFP2", "quantity": 1000}]},
    )
    d = stock.json()
    api("ita").post(f"/offer-lines/{a['lines'][0]['id']}/accept", {})
    reader = api("ocha")

    assert _refs(reader.get("/offers")) == [
        d["reference"],
        c["reference"],
        b["reference"],
        a["reference"],
    ]
    assert _refs(reader.get("/offers", ordering="reference")) == sorted(
        o["reference"] for o in (a, b, c, d)
    )
    assert _refs(reader.get("/offers", donor="deu")) == [c["reference"], a["reference"]]
    assert _refs(reader.get("/offers", rfa=ita_rfa.pk)) == [b["reference"], a["reference"]]
    assert _refs(reader.get("/offers", requester="ESP")) == [c["reference"]]
    assert _refs(reader.get("/offers", status="accepted")) == [a["reference"]]
    assert _refs(reader.get("/offers", item="MASK-SURG")) == [b["reference"]]
    assert _refs(reader.get("/offers", unsolicited="true")) == [d["reference"]]
    assert _refs(reader.get("/offers", crisis="other")) == []
    page = reader.get("/offers", limit=2, offset=1).json()
    assert page["count"] == 4 and len(page["items"]) == 2 and page["next"] and page["previous"]


def test_bad_list_parameters_name_the_parameter(api, ita_rfa) -> None:
    response = api("ocha").get("/offers", ordering="secret")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ordering"
    response = api("ocha").get("/offers", status="maybe")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"
    response = api("ocha").get("/offers", limit=0)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "limit"
    assert api(None).get("/offers").status_code == 401


def test_listing_costs_the_same_queries_for_2_or_12_offers(api, ita_rfa) -> None:
    donors = ["deu", "tur", "esp", "cze"]
    reader = api("ocha")
    reader.get("/offers")  # the token's first use writes last_used_at

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = reader.get("/offers", limit=50)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for who in donors[:2]:
        offer_against(api(who), ita_rfa, 5, 10)
    small = queries_for_list()
    for i in range(10):
        offer_against(api(donors[i % 4]), ita_rfa, 5 + i, 10)
    assert api("ocha").get("/offers").json()["count"] == 12
    assert queries_for_list() == small


def test_paging_by_cursor_visits_every_offer_once_in_order_while_offers_come(api, ita_rfa) -> None:
    donors = ["deu", "tur", "esp", "cze"]
    for i in range(5):
        offer_against(api(donors[i % 4]), ita_rfa, 5 + i, 10)
    reader = api("ocha")
    before = _refs(reader.get("/offers", limit=200))
    seen: list[str] = []
    params: dict[str, object] = {"limit": 2, "cursor": ""}
    for n in range(20):
        body = reader.get("/offers", **params).json()
        assert body["count"] is None
        seen += [o["reference"] for o in body["items"]]
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
        offer_against(api(donors[n % 4]), ita_rfa, 1, 10)  # newest: ahead of the cursor
    assert seen == before  # newest first: the offers made meanwhile are not reached
    by_reference = _refs(reader.get("/offers", limit=200, ordering="reference"))
    walked: list[str] = []
    cursor = ""
    while cursor is not None:
        body = reader.get("/offers", limit=3, cursor=cursor, ordering="reference").json()
        walked += [o["reference"] for o in body["items"]]
        cursor = body["next_cursor"]
    assert walked == by_reference
