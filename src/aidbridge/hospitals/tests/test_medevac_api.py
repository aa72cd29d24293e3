"""MEDEVAC transfers through the API: accepted transfers flown by air (or handed over
by the centre) are airlift consignments that only a MEDEVAC-fitted aircraft carries;
the fleet says which aircraft are fitted (audited); without one, the hand-over is
refused and the plan says why, in English and French; with one, the plan flies them
on it, and its sortie's departure and arrival are the transfers'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.catalogue.models import Item
from aidbridge.hospitals.matching_selectors import patient_figures
from aidbridge.hospitals.models import ProposedTransfer
from aidbridge.hospitals.tests.matching_fixtures import scene
from aidbridge.hospitals.tests.test_matching_runs import start
from aidbridge.runs.tests.helpers import committed

C17 = {"code": "C-17A", "payload_kg": 77_500, "pallets": 18, "cruise_kmh": 830,
       "range_km": 4_400, "size": "heavy", "cost_per_hour": 24_000}  # fmt: skip
A310 = {"code": "A310-MEDEVAC", "payload_kg": 30_000, "pallets": 6, "cruise_kmh": 850,
        "range_km": 6_000, "size": "medium", "cost_per_hour": 18_000}  # fmt: skip
WINDOW = {"available_from": "2020-03-01T00:00:00Z", "available_until": "2020-04-10T00:00:00Z"}


@pytest.fixture
def flown(pat_icu: Item) -> Item:
    """PAT-ICU as the catalogue seed gives it: 450 kg and 10 m³ a patient when flown."""
    pat_icu.transport_weight_kg = Decimal("450")
    pat_icu.transport_volume_m3 = Decimal("10")
    pat_icu.save()
    return pat_icu


def _accepted(api: Any, users: Any, crisis: Any, hospitals: Any) -> list[ProposedTransfer]:
    scene(users, crisis, hospitals)
    run = start(api, crisis)
    assert api("duty").post(f"/transfer-matching-runs/{run['id']}/accept").status_code == 200
    return list(ProposedTransfer.objects.filter(run_id=run["id"]).order_by("pk"))


def _plan(api: Any, crisis: Any, lang: str = "en") -> dict[str, Any]:
    with committed():
        response = api("airlift").post(f"/crises/{crisis.code}/airlift-plans", {"time_limit_s": 1})
        assert response.status_code == 202, response.json()
    reader = api("airlift")
    plan = reader.client.get(
        f"/api/v1/airlift-plans/{response.json()['id']}",
        headers={**reader.headers, "Accept-Language": lang},
    )
    return plan.json()


def _carried(plan: dict[str, Any]) -> dict[str, str]:
    return {
        cid: aircraft["aircraft"]
        for aircraft in plan["schedule"]
        for sortie in aircraft["sorties"]
        for cid in sortie["consignments"]
    }


def test_medevac_transfers_fly_only_on_a_medevac_aircraft(
    api: Any, users: Any, crisis: Any, flown: Item, hospitals: Any
) -> None:
    transfers = _accepted(api, users, crisis, hospitals)
    coordinator = api("airlift")
    assert coordinator.post("/aircraft-types", C17).status_code == 201
    assert coordinator.post("/aircraft-types", A310).status_code == 201
    cargo = coordinator.post(
        "/aircraft", {"tail": "SAC-01", "type": "C-17A", "operator": "SAC", "base": "LHPA"} | WINDOW
    )
    assert cargo.status_code == 201 and cargo.json()["capabilities"] == []

    # No MEDEVAC aircraft yet: the centre cannot hand a transfer over, and says why.
    road = transfers[0]
    refused = api("duty").post(f"/proposed-transfers/{road.pk}/airlift")
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_medevac_aircraft"
    assert refused.json()["errors"][0]["field"] == "fleet"
    assert not ProposedTransfer.objects.get(pk=road.pk).airlift
    # Not a nation's decision.
    assert api("deu").post(f"/proposed-transfers/{road.pk}/airlift").status_code == 403

    # Flights are consignments already: patients x 450 kg, one position each, medevac.
    listed = coordinator.get(f"/crises/{crisis.code}/airlift-consignments").json()
    by_key = {c["source_key"]: c for c in listed["consignments"] if c["source"]}
    for t in transfers:
        if t.mode == "air":
            c = by_key[str(t.pk)]
            assert (c["requires"], c["quantity"], c["weight_kg"], c["pallets"]) == (
                ["medevac"],
                t.patients,
                450.0 * t.patients,
                t.patients,
            )
            assert c["destination"] == t.hospital.airport
    assert by_key, "the scene's transfers (Bergamo, Strasbourg to Saxony) are flown"

    # Planned without a fitted aircraft: unplanned, with the reason in both languages.
    plan = _plan(api, crisis)
    reasons = {u["consignment"]: u["reason"] for u in plan["unassigned"]}
    ids = {c["id"] for c in by_key.values()}
    assert {reasons[cid] for cid in ids} == {
        "no aircraft in the fleet has what it requires (medevac)"
    }
    french = _plan(api, crisis, "fr")
    assert {u["reason"] for u in french["unassigned"] if u["consignment"] in ids} == {
        "aucun aéronef de la flotte n\u2019a ce qu\u2019il exige (medevac)"
    }

    # The fleet gains a MEDEVAC aircraft (audited); a capability it does not know is refused.
    bad = coordinator.post(
        "/aircraft",
        {"tail": "X", "type": "A310-MEDEVAC", "operator": "DEU", "base": "EDDK"}
        | WINDOW
        | {"capabilities": ["teleport"]},
    )
    assert bad.status_code == 422 and "capabilities" in str(bad.json())
    added = coordinator.post(
        "/aircraft",
        {"tail": "10+27", "type": "A310-MEDEVAC", "operator": "DEU", "base": "EDDK"}
        | WINDOW
        | {"capabilities": ["medevac"]},
    )
    assert added.status_code == 201 and added.json()["capabilities"] == ["medevac"]
    entry = AuditEntry.objects.filter(action="aircraft.create").latest("pk")
    assert entry.changes["capabilities"] == [None, ["medevac"]]
    fitted = coordinator.get("/aircraft", capability="medevac").json()
    assert [a["tail"] for a in fitted["items"]] == ["10+27"]

    # Now the centre may hand a road transfer over too: it becomes a MEDEVAC consignment.
    # (The scene's hospitals are all far enough to fly to; this one is made a road
    # proposal, as the matcher makes for a nearby hospital.)
    ProposedTransfer.objects.filter(pk=road.pk).update(mode="road")
    listed = coordinator.get(f"/crises/{crisis.code}/airlift-consignments").json()
    assert str(road.pk) not in {c["source_key"] for c in listed["consignments"]}
    handed = api("duty").post(f"/proposed-transfers/{road.pk}/airlift")
    assert handed.status_code == 200 and handed.json()["airlift"] is True
    assert AuditEntry.objects.filter(action="proposed_transfer.airlift").count() == 1
    listed = coordinator.get(f"/crises/{crisis.code}/airlift-consignments").json()
    by_key = {c["source_key"]: c for c in listed["consignments"] if c["source"]}
    assert by_key[str(road.pk)]["requires"] == ["medevac"]
    ids = {c["id"] for c in by_key.values()}

    plan = _plan(api, crisis)
    carried = _carried(plan)
    on_board = {cid: plane for cid, plane in carried.items() if cid in ids}
    assert on_board and set(on_board.values()) == {"10+27"}, plan["unassigned"]

    # Approved, flown: the transfers depart and arrive with the sortie.
    before = patient_figures(crisis)
    assert api("duty").post(f"/airlift-plans/{plan['id']}/approve").status_code == 200
    sortie = next(
        s for s in api("airlift").get("/sorties").json()["items"] if s["aircraft"] == "10+27"
    )
    assert api("airlift").post(f"/sorties/{sortie['id']}/depart", {}).status_code == 200
    keys = [int(c["source_key"]) for c in by_key.values() if c["id"] in on_board]
    assert {t.stage for t in ProposedTransfer.objects.filter(pk__in=keys)} == {"departed"}
    assert api("airlift").post(f"/sorties/{sortie['id']}/arrive", {}).status_code == 200
    assert {t.stage for t in ProposedTransfer.objects.filter(pk__in=keys)} == {"arrived"}
    landed = sum(t.patients for t in ProposedTransfer.objects.filter(pk__in=keys))
    assert patient_figures(crisis).delivered == before.delivered + landed
