"""The independent checker accepts the spec's example plan and catches each broken rule."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from aidbridge.planning.airlift import check_airlift, parse_airlift

from .factory import C130, aircraft, consignment, document

# The spec's example plan, verbatim.
VALID: dict[str, Any] = {
    "sorties": [
        {
            "aircraft": "SAC-1",
            "stops": [
                {"airport": "LHPA", "depart": "2020-04-01T06:00:00Z"},
                {"airport": "LTAC", "arrive": "2020-04-01T07:47:00Z",
                 "depart": "2020-04-01T09:17:00Z", "load": ["TUR-ITA-1"], "unload": []},
                {"airport": "LIRF", "arrive": "2020-04-01T11:23:00Z",
                 "depart": "2020-04-01T12:53:00Z", "load": [], "unload": ["TUR-ITA-1"]},
                {"airport": "LHPA", "arrive": "2020-04-01T13:47:00Z"},
            ],
        }
    ],
    "unassigned": [],
    "stats": {},
}  # fmt: skip


def inp(**kw: Any) -> Any:
    doc = document(
        [consignment("TUR-ITA-1", **kw)],
        fleet=[aircraft("SAC-1"), aircraft("HERC-1", kind="C-130J-30")],
        types=None,
    )
    doc["aircraft_types"].append(dict(C130))
    return parse_airlift(doc)


def stops(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return plan["sorties"][0]["stops"]


def test_spec_example_plan_is_feasible() -> None:
    assert check_airlift(inp(), VALID) == []


def _shift(plan: dict[str, Any], minutes: int) -> None:
    """Move the whole second sortie ``minutes`` later (times stay consistent)."""
    from datetime import datetime, timedelta

    for stop in plan["sorties"][1]["stops"]:
        for key in ("arrive", "depart"):
            if key in stop:
                t = datetime.fromisoformat(stop[key].replace("Z", "+00:00"))
                stop[key] = (t + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _second_sortie(plan: dict[str, Any], shift: int) -> None:
    plan["sorties"].append(copy.deepcopy(plan["sorties"][0]))
    for stop in plan["sorties"][1]["stops"]:
        stop["load"], stop["unload"] = [], []
    _shift(plan, shift)


def _load_at_base(plan: dict[str, Any]) -> None:
    stops(plan)[1].update(load=[])
    stops(plan)[0].update(load=["TUR-ITA-1"])


Mutation = Callable[[dict[str, Any]], None]

CASES: list[tuple[str, Mutation, dict[str, Any]]] = [
    ("due", lambda p: None, {"due_by": "2020-04-01T11:00:00Z"}),
    ("ready", lambda p: None, {"ready_at": "2020-04-01T10:00:00Z"}),
    ("payload", lambda p: None, {"weight_kg": 80000}),
    ("pallets", lambda p: None, {"pallets": 19}),
    ("flight-time", lambda p: stops(p)[1].update(arrive="2020-04-01T07:40:00Z"), {}),
    ("ground", lambda p: stops(p)[1].update(depart="2020-04-01T09:00:00Z"), {}),
    ("base", lambda p: stops(p)[3].update(airport="LIRF"), {}),
    ("availability", lambda p: stops(p)[0].update(depart="2020-04-01T05:00:00Z"), {}),
    ("aircraft", lambda p: p["sorties"][0].update(aircraft="SAC-9"), {}),
    ("origin", lambda p: _load_at_base(p), {}),
    ("destination", lambda p: stops(p)[2].update(airport="LTCG"), {}),
    ("unload", lambda p: stops(p)[2].update(unload=[]), {}),
    ("both", lambda p: p["unassigned"].append({"consignment": "TUR-ITA-1", "reason": "x"}), {}),
    ("missing", lambda p: p.update(sorties=[]), {}),
    ("once", lambda p: stops(p)[2].update(load=["TUR-ITA-1"]), {}),
    ("overlap", lambda p: _second_sortie(p, 60), {}),
    ("unknown", lambda p: stops(p)[1]["load"].append("GHOST"), {}),
    ("structure", lambda p: stops(p)[1].update(load="TUR-ITA-1"), {}),
    ("structure", lambda p: p["sorties"][0].update(stops=[*stops(p), "LHPA"]), {}),
    ("structure", lambda p: stops(p)[2].pop("arrive"), {}),
]


@pytest.mark.parametrize(
    ("rule", "mutate", "change"), CASES, ids=[f"{c[0]}-{k}" for k, c in enumerate(CASES)]
)
def test_injected_violation_is_caught(rule: str, mutate: Mutation, change: dict[str, Any]) -> None:
    plan = copy.deepcopy(VALID)
    mutate(plan)
    rules = {v.rule for v in check_airlift(inp(**change), plan)}
    assert rule in rules


def test_range_violation_is_caught() -> None:
    doc = document([consignment("C-1", origin="LPPT", destination="LTAC")])
    plan = {
        "sorties": [
            {
                "aircraft": "SAC-1",
                "stops": [
                    {"airport": "LHPA", "depart": "2020-04-01T06:00:00Z"},
                    {"airport": "LPPT", "arrive": "2020-04-01T08:50:00Z",
                     "depart": "2020-04-01T10:20:00Z", "load": ["C-1"], "unload": []},
                    {"airport": "LTAC", "arrive": "2020-04-01T14:39:00Z",
                     "depart": "2020-04-01T16:26:00Z", "load": [], "unload": ["C-1"]},
                    {"airport": "LHPA", "arrive": "2020-04-01T18:13:00Z"},
                ],
            }
        ],
        "unassigned": [],
    }  # fmt: skip
    doc["aircraft_types"][0]["range_km"] = 3000
    violations = check_airlift(parse_airlift(doc), plan)
    assert [v.rule for v in violations] == ["range"], violations
    assert "LPPT-LTAC" in violations[0].where


def test_sorties_one_after_another_are_fine() -> None:
    plan = copy.deepcopy(VALID)
    _second_sortie(plan, 8 * 60)
    assert check_airlift(inp(), plan) == []


def test_airport_too_small_is_caught() -> None:
    doc = document([consignment("TUR-ITA-1")], sizes={"LIRF": "medium"})
    violations = check_airlift(parse_airlift(doc), VALID)
    assert [(v.rule, v.where) for v in violations] == [("size", "sorties[0] (SAC-1) stop 2")]
