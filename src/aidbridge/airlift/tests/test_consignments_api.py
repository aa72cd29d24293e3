"""Consignments are built exactly from the clearing-house's accepted aid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aidbridge.airlift.consignments import pallets_for


def test_consignments_from_accepted_lines_needing_airlift(api, airlift_state, c17) -> None:
    response = api("airlift").get("/crises/covid-19-2020/airlift-consignments")
    assert response.status_code == 200, response.json()
    body = response.json()
    offer = airlift_state["turkey"]["reference"]
    vents, masks = airlift_state["tur_vents"]["id"], airlift_state["tur_masks"]["id"]
    got = {c["id"]: c for c in body["consignments"]}
    assert set(got) == {f"{offer}/{vents}", f"{offer}/{masks}"}
    # 80 accepted - 10 already sent by road = 70 x 30 kg; 70 x 0.25 m3 = 17.5 m3 -> 2 pallets.
    v = got[f"{offer}/{vents}"]
    assert (v["quantity"], v["weight_kg"], v["pallets"], v["priority"]) == (70, 2100.0, 2, 1)
    assert (v["origin"], v["destination"], v["donor"], v["requester"]) == (
        "LTAC",
        "LIRF",
        "TUR",
        "ITA",
    )
    assert (v["ready_at"], v["due_by"]) == ("2020-04-01T00:00:00Z", "2020-04-03T23:59:00Z")
    # 60,000 x 4 g = 240 kg, 3 m3 -> one pallet; no needed-by date.
    m = got[f"{offer}/{masks}"]
    assert (m["quantity"], m["weight_kg"], m["pallets"], m["priority"], m["due_by"]) == (
        60_000,
        240.0,
        1,
        2,
        None,
    )
    # Germany brings its own transport: not a consignment, not skipped either.
    assert body["skipped"] == [
        {
            "offer_line": airlift_state["cze_vents"]["id"],
            "offer": airlift_state["cze_vents"]["offer_reference"],
            "item": "VENT-ICU",
            "quantity": 20,
            "reason": f"offer {airlift_state['cze_vents']['offer_reference']} gives no origin "
            "airport",
        }
    ]


def test_pallets_count_by_what_runs_out_first() -> None:
    assert pallets_for(Decimal(9001), Decimal(1)) == 3  # 4,500 kg a pallet
    assert pallets_for(Decimal(100), Decimal("20.5")) == 3  # 10 m3 a pallet
    assert pallets_for(Decimal(1), Decimal("0.01")) == 1


@pytest.mark.parametrize("who", ["ita", "tur", "ocha"])
def test_only_airlift_staff_see_consignments(api, airlift_state, who: str) -> None:
    assert api(who).get("/crises/covid-19-2020/airlift-consignments").status_code == 403
