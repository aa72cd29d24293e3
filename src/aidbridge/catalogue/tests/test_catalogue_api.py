"""The catalogue and airports through the HTTP API; also the list conventions
(pagination, ordering, error shape) every list endpoint follows."""

from __future__ import annotations

from decimal import Decimal

from aidbridge.catalogue.models import Category, Item


def test_items_are_listed_paginated_and_ordered_by_code(api, items) -> None:
    body = api("ocha").get("/catalogue/items", limit=2).json()
    assert body["count"] == 4
    assert body["limit"] == 2
    assert body["offset"] == 0
    assert [i["code"] for i in body["items"]] == ["MASK-SURG", "RESP-FFP2"]
    assert body["previous"] is None
    assert "offset=2" in body["next"]
    assert body["items"][0] == {
        "code": "MASK-SURG",
        "name_en": "Surgical mask",
        "name_fr": "Masque chirurgical",
        "category": "PPE",
        "unit": "piece",
        "unit_weight_kg": "0.0040",
        "unit_volume_m3": "0.000050",
        "active": True,
    }

    second = api("ocha").client.get(body["next"], headers=api("ocha").headers).json()
    assert [i["code"] for i in second["items"]] == ["SUIT-PROT", "VENT-ICU"]
    assert second["next"] is None
    assert "offset=0" in second["previous"]


def test_items_are_searched_by_code_and_english_or_french_name(api, items) -> None:
    client = api("ita")

    def codes(**params: str) -> list[str]:
        return [i["code"] for i in client.get("/catalogue/items", **params).json()["items"]]

    assert codes(search="vent") == ["VENT-ICU"]
    assert codes(search="Respirateur") == ["VENT-ICU"]
    assert codes(search="masque") == ["MASK-SURG", "RESP-FFP2"]
    assert codes(category="med") == ["VENT-ICU"]
    assert codes(ordering="-name_en") == ["MASK-SURG", "SUIT-PROT", "VENT-ICU", "RESP-FFP2"]


def test_inactive_items_are_not_offered_for_new_needs(api, items) -> None:
    Item.objects.filter(code="SUIT-PROT").update(active=False)
    codes = [i["code"] for i in api("ita").get("/catalogue/items").json()["items"]]
    assert "SUIT-PROT" not in codes


def test_item_detail_lists_its_substitutes(api, items) -> None:
    body = api("duty").get("/catalogue/items/mask-surg").json()
    assert body["code"] == "MASK-SURG"
    assert body["substitutes"] == [
        {"code": "RESP-FFP2", "name_en": "FFP2 respirator", "name_fr": "Masque FFP2", "note": ""}
    ]
    missing = api("duty").get("/catalogue/items/NOPE")
    assert missing.status_code == 404
    assert missing.json()["errors"] == [{"field": "code", "message": "no item with code 'NOPE'"}]


def test_list_parameters_are_checked_and_named_in_the_error(api, items) -> None:
    client = api("ita")
    too_big = client.get("/catalogue/items", limit=1000)
    assert too_big.status_code == 422
    assert [e["field"] for e in too_big.json()["errors"]] == ["limit"]
    negative = client.get("/catalogue/items", offset=-1)
    assert [e["field"] for e in negative.json()["errors"]] == ["offset"]
    bad_order = client.get("/catalogue/items", ordering="weight")
    assert bad_order.status_code == 422
    assert bad_order.json()["errors"][0]["field"] == "ordering"
    assert "code" in bad_order.json()["errors"][0]["message"]


def test_ties_are_broken_by_id_so_pages_never_repeat_rows(api, db) -> None:
    cat = Category.objects.create(code="WASH", name_en="Water", name_fr="Eau")
    for n in range(7):
        Item.objects.create(
            code=f"JERRY-{n}",
            category=cat,
            name_en="Jerrycan",
            name_fr="Jerrican",
            unit="piece",
            unit_weight_kg=Decimal(1),
            unit_volume_m3=Decimal("0.02"),
        )
    client = api("ocha")
    seen = []
    for offset in range(0, 7, 3):
        page = client.get("/catalogue/items", ordering="name_en", limit=3, offset=offset)
        seen += [i["code"] for i in page.json()["items"]]
    assert sorted(seen) == [f"JERRY-{n}" for n in range(7)]


def test_the_catalogue_needs_a_signed_in_user(api, items) -> None:
    assert api(None).get("/catalogue/items").status_code == 401


def test_airports_come_from_airportsdata(api, db) -> None:
    client = api("ita")
    found = client.get("/catalogue/airports", search="LIRF").json()
    assert found[0]["icao"] == "LIRF"
    assert "Fiumicino" in found[0]["name"] or "Rome" in found[0]["city"]
    assert abs(found[0]["lat"] - 41.8) < 0.1
    by_city = client.get("/catalogue/airports", search="Ciampino", limit=5).json()
    assert "LIRA" in [a["icao"] for a in by_city]
    assert client.get("/catalogue/airports/lirf").json()["icao"] == "LIRF"
    assert client.get("/catalogue/airports/ZZZZ").status_code == 404
    short = client.get("/catalogue/airports", search="L")
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "search"
