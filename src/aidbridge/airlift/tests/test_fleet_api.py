"""Managing the fleet through the API: who may, and what is refused."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.airlift.models import Aircraft, AircraftType, AirfieldLimit
from aidbridge.airlift.services import REFERENCE_TYPES, seed_fleet
from aidbridge.audit.models import AuditEntry

PLANE = {
    "tail": "DEU-A400M-1",
    "type": "C-17A",
    "operator": "DEU",
    "base": "ETNW",
    "available_from": "2020-04-01T00:00:00Z",
    "available_until": "2020-04-05T00:00:00Z",
}


@pytest.mark.parametrize("who", ["duty", "airlift"])
def test_centre_and_coordinator_manage_the_fleet(api, c17, who: str) -> None:
    client = api(who)
    response = client.post("/aircraft", PLANE)
    assert response.status_code == 201, response.json()
    assert response.json()["base"] == "ETNW"
    response = client.patch("/aircraft/DEU-A400M-1", {"base": "eddp"})
    assert (response.status_code, response.json()["base"]) == (200, "EDDP")
    assert AuditEntry.objects.filter(action="aircraft.update").get().changes == {
        "base": ["ETNW", "EDDP"]
    }
    response = client.patch("/aircraft-types/C-17A", {"cost_per_hour": 25_000})
    assert (response.status_code, response.json()["cost_per_hour"]) == (200, 25_000)
    assert client.delete("/aircraft/DEU-A400M-1").status_code == 204
    assert not Aircraft.objects.filter(tail="DEU-A400M-1").exists()
    response = client.put("/airfield-limits/lirf", {"max_aircraft": "medium", "note": "apron"})
    assert (response.status_code, response.json()["icao"]) == (200, "LIRF")
    assert api("ocha").get("/airfield-limits").json()["items"][0]["max_aircraft"] == "medium"


@pytest.mark.parametrize("who", ["ita", "ocha"])
def test_pocs_and_observers_read_but_do_not_write(api, c17, who: str) -> None:
    client = api(who)
    assert client.get("/aircraft").json()["count"] == 1
    assert client.get("/aircraft-types/C-17A").status_code == 200
    assert client.post("/aircraft", PLANE).status_code == 403
    assert client.patch("/aircraft/SAC-01", {"base": "EDDP"}).status_code == 403
    assert client.delete("/aircraft-types/C-17A").status_code == 403
    assert client.put("/airfield-limits/LIRF", {"max_aircraft": "light"}).status_code == 403
    assert Aircraft.objects.get().base == "LHPA"
    assert not AirfieldLimit.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "B-52"}, "type"),
        ({"base": "XXXX"}, "base"),
        ({"base": "Pápa"}, "base"),
        ({"available_until": "2020-03-01T00:00:00Z"}, "available_until"),
        ({"available_from": "2020-04-01T00:00:00"}, "available_from"),
        ({"colour": "grey"}, "colour"),
        ({"operator": " "}, "operator"),
    ],
)
def test_bad_aircraft_is_refused_naming_the_field(api, c17, change: dict[str, Any], field) -> None:
    response = api("airlift").post("/aircraft", {**PLANE, **change})
    assert response.status_code == 422, response.json()
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert Aircraft.objects.count() == 1
    assert (
        not AuditEntry.objects.filter(action="aircraft.create")
        .exclude(target_repr="SAC-01")
        .exists()
    )


def test_bad_types_and_duplicates(api, c17) -> None:
    client = api("airlift")
    body = {"code": "X", "payload_kg": 1000, "pallets": 2, "cruise_kmh": 500, "range_km": 900,
            "size": "huge", "cost_per_hour": 1}  # fmt: skip
    response = client.post("/aircraft-types", body)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "size")
    response = client.post("/aircraft-types", {**body, "size": "light", "payload_kg": 0})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "payload_kg")
    response = client.post("/aircraft-types", {**body, "size": "light", "code": "c-17a"})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (409, "code")
    response = client.post("/aircraft", {**PLANE, "tail": "SAC-01"})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (409, "tail")
    response = client.delete("/aircraft-types/C-17A")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (409, "code")
    response = client.put("/airfield-limits/ZZZZ", {"max_aircraft": "light"})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "icao")
    assert AircraftType.objects.count() == 1


def test_seed_fleet_is_the_reference_table_and_idempotent(db) -> None:
    first = seed_fleet()
    again = seed_fleet()
    assert [a.pk for a in first] == [a.pk for a in again]
    assert {t.code for t in AircraftType.objects.all()} == {t["code"] for t in REFERENCE_TYPES}
    bases = {(a.type.code, a.operator, a.base) for a in first}
    assert ("An-124-100", "SALIS", "EDDP") in bases
    assert ("C-17A", "SAC", "LHPA") in bases
    assert AircraftType.objects.get(code="C-17A").payload_kg == 77_500
