"""The consolidated picture through the API: the whole flow, totals, and query counts."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aidbridge.offers.tests.factories import circulated_rfa, offer_against

FIGURES = ("requested", "offered", "open", "accepted", "dispatched", "delivered", "outstanding")


def _figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in FIGURES)


def test_the_whole_flow_from_offer_to_receipt_shows_in_the_picture(api, crisis, ita_rfa) -> None:
    deu, ita = api("deu"), api("ita")
    # Germany offers 100 of the 150 ventilators; Italy takes 60 and declines the rest.
    line = offer_against(deu, ita_rfa, 100)["lines"][0]
    assert ita.post(f"/offer-lines/{line['id']}/accept", {"quantity": 60}).status_code == 200
    declined = ita.post(f"/offer-lines/{line['id']}/decline", {"reason": "Wrong model"})
    assert declined.json()["status"] == "accepted"
    # Turkey offers 30 more, still awaiting a decision.
    offer_against(api("tur"), ita_rfa, 30)
    # 50 leave by air; 47 arrive.
    sent = deu.post(
        f"/offer-lines/{line['id']}/dispatches",
        {"quantity": 50, "mode": "airlift"},
    ).json()
    receipt = ita.post(
        f"/dispatches/{sent['id']}/receipt", {"quantity": 47, "note": "3 damaged on landing"}
    )
    assert receipt.status_code == 201

    picture = api("ocha").get(f"/crises/{crisis.code}/picture")
    assert picture.status_code == 200, picture.json()
    body = picture.json()
    vent, masks = body["lines"]["items"]
    assert (vent["item"], vent["requester"], vent["rfa_reference"]) == (
        "VENT-ICU",
        "ITA",
        ita_rfa.reference,
    )
    # requested, offered (open + accepted), open, accepted, dispatched, delivered, outstanding
    assert _figures(vent) == (150, 90, 30, 60, 50, 47, 90)
    assert vent["coverage"] == 0.4 and vent["over_accepted"] == 0
    assert _figures(masks) == (100_000, 0, 0, 0, 0, 0, 100_000)
    assert masks["coverage"] == 0.0
    overall = body["overall"]
    assert _figures(overall) == (100_150, 90, 30, 60, 50, 47, 100_090)
    assert [(n["party"], n["lines"], n["accepted"]) for n in body["by_nation"]] == [("ITA", 2, 60)]
    assert [
        (d["party"], d["offers"], d["offered"], d["accepted"], d["delivered"])
        for d in body["by_donor"]
    ] == [("DEU", 1, 60, 60, 47), ("TUR", 1, 30, 0, 0)]
    by_item = {i["item"]: _figures(i) for i in body["by_item"]}
    assert by_item == {"MASK-SURG": _figures(masks), "VENT-ICU": _figures(vent)}


def test_totals_add_up_across_nations_and_over_acceptance_stays_visible(
    api, crisis, parties, users, items, ita_rfa
) -> None:
    esp_rfa = circulated_rfa(
        crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 20), (items["SUIT-PROT"], 500)]
    )
    ita, esp = api("ita"), api("esp")
    # Spain over-accepts ventilators on purpose: 25 of 20.
    vent_esp = offer_against(api("deu"), esp_rfa, 25, 100)["lines"]
    over = {"over_acceptance_reason": "Regional hospitals opening"}
    assert esp.post(f"/offer-lines/{vent_esp[0]['id']}/accept", over).status_code == 200
    assert esp.post(f"/offer-lines/{vent_esp[1]['id']}/accept", {}).status_code == 200
    # Italy takes 100 ventilators from Turkey; the NATO stock stands ready.
    tur = offer_against(api("tur"), ita_rfa, 100)["lines"][0]
    assert ita.post(f"/offer-lines/{tur['id']}/accept", {}).status_code == 200
    api("stock").post(
        f"/crises/{crisis.code}/unsolicited-offers",
        {"lines": [{"item": "VENT-ICU", "quantity": 40}]},
    )
    # A draft of Czechia is not part of the picture.
    circulated_rfa(crisis, parties["CZE"], users["cze"], [(items["VENT-ICU"], 150)], status="draft")

    body = api("duty").get(f"/crises/{crisis.code}/picture").json()
    nations = {n["party"]: n for n in body["by_nation"]}
    assert set(nations) == {"ESP", "ITA"}
    assert (nations["ESP"]["requested"], nations["ESP"]["accepted"]) == (520, 125)
    # ESP: ventilators over-accepted by 5, suits short by 400: the surplus hides nothing.
    assert (nations["ESP"]["over_accepted"], nations["ESP"]["outstanding"]) == (5, 400)
    vent = next(i for i in body["by_item"] if i["item"] == "VENT-ICU")
    assert (vent["requested"], vent["accepted"], vent["outstanding"], vent["over_accepted"]) == (
        170,
        125,
        50,
        5,
    )
    # Coverage counts at most the request on each line: ESP's 25 accepted cover its 20,
    # ITA's 100 cover 100 of its 150.
    assert vent["coverage"] == round((20 + 100) / 170, 4)
    overall = body["overall"]
    assert (overall["lines"], overall["requested"], overall["accepted"]) == (4, 100_670, 225)
    assert overall["outstanding"] == 100_670 - 225 + 5
    donors = {d["party"]: d for d in body["by_donor"]}
    assert donors["NATO-STOCK"]["standing"] == 40 and donors["NATO-STOCK"]["offered"] == 0
    assert donors["DEU"]["accepted"] == 125
    esp_vent = next(
        ln for ln in body["lines"]["items"] if ln["requester"] == "ESP" and ln["item"] == "VENT-ICU"
    )
    assert (esp_vent["over_accepted"], esp_vent["outstanding"], esp_vent["coverage"]) == (
        5,
        0,
        1.0,
    )


def test_picture_lines_are_filtered_and_paginated(api, crisis, parties, users, items, ita_rfa):
    circulated_rfa(crisis, parties["ESP"], users["esp"], [(items["VENT-ICU"], 20)])
    reader = api("ocha")
    line = offer_against(api("deu"), ita_rfa, 150)["lines"][0]
    api("ita").post(f"/offer-lines/{line['id']}/accept", {})

    def lines(**params: Any) -> list[tuple[str, str]]:
        response = reader.get(f"/crises/{crisis.code}/picture", **params)
        assert response.status_code == 200, response.json()
        return [(ln["requester"], ln["item"]) for ln in response.json()["lines"]["items"]]

    assert lines() == [("ITA", "VENT-ICU"), ("ITA", "MASK-SURG"), ("ESP", "VENT-ICU")]
    assert lines(requester="ESP") == [("ESP", "VENT-ICU")]
    assert lines(item="vent-icu") == [("ITA", "VENT-ICU"), ("ESP", "VENT-ICU")]
    assert lines(outstanding="true") == [("ITA", "MASK-SURG"), ("ESP", "VENT-ICU")]
    assert lines(outstanding="false") == [("ITA", "VENT-ICU")]
    assert lines(limit=1, offset=2) == [("ESP", "VENT-ICU")]
    # Descending throughout: ties fall back to the newest line first.
    assert lines(ordering="-item") == [
        ("ESP", "VENT-ICU"),
        ("ITA", "VENT-ICU"),
        ("ITA", "MASK-SURG"),
    ]
    response = reader.get(f"/crises/{crisis.code}/picture", ordering="secret")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ordering"
    assert reader.get("/crises/nope/picture").status_code == 404
    assert api(None).get(f"/crises/{crisis.code}/picture").status_code == 401


def _grow(api, crisis, parties, users, items, rfas: int) -> None:
    """Add ``rfas`` RFAs of two lines, each with an offer partly accepted and moved."""
    deu, ita = api("deu"), api("ita")
    for _ in range(rfas):
        rfa = circulated_rfa(
            crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 10), (items["MASK-SURG"], 9)]
        )
        offer = offer_against(deu, rfa, 6, 12)
        vent, masks = offer["lines"]
        ita.post(f"/offer-lines/{vent['id']}/accept", {"quantity": 4})
        ita.post(f"/offer-lines/{masks['id']}/accept", {"over_acceptance_reason": "stock"})
        sent = deu.post(f"/offer-lines/{vent['id']}/dispatches", {"quantity": 3, "mode": "road"})
        ita.post(f"/dispatches/{sent.json()['id']}/receipt", {"quantity": 3})


def test_the_picture_costs_the_same_queries_for_2_or_12_rfas(
    api, crisis, parties, users, items
) -> None:
    reader = api("ocha")
    reader.get("/me")  # the token's first use writes last_used_at

    def measure() -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as ctx:
            response = reader.get(f"/crises/{crisis.code}/picture", limit=200)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    _grow(api, crisis, parties, users, items, 2)
    small, body = measure()
    assert body["lines"]["count"] == 4
    _grow(api, crisis, parties, users, items, 10)
    large, body = measure()
    assert body["lines"]["count"] == 24 and len(body["lines"]["items"]) == 24
    assert large == small
    overall = body["overall"]
    assert (overall["accepted"], overall["over_accepted"], overall["delivered"]) == (
        12 * (4 + 12),
        12 * 3,
        12 * 3,
    )
