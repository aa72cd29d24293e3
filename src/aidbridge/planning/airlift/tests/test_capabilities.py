"""Aircraft compatibility: a consignment that requires capabilities (``medevac``) only
ever flies on an aircraft that has them all; without one it is reported unplanned."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.planning.airlift import (
    AirliftInputError,
    check_airlift,
    parse_airlift,
    plan_airlift,
)
from aidbridge.planning.airlift.generate import generate
from aidbridge.planning.airlift.jsonio import plan_to_json

from .factory import aircraft, consignment, document


def medevac_doc(fitted: bool = True) -> dict[str, Any]:
    """Two C-17s at Papa, one fitted for MEDEVAC (or neither); patients and cargo from
    Ankara to Rome."""
    return document(
        [
            consignment("PATIENTS", weight_kg=2700, pallets=6, requires=["medevac"]),
            consignment("CARGO", weight_kg=5000, pallets=2),
        ],
        fleet=[
            aircraft("CARGO-1"),
            aircraft("MEDEVAC-1", capabilities=["medevac"] if fitted else []),
        ],
    )


def test_capabilities_and_requirements_are_optional_lists_of_names() -> None:
    inp = parse_airlift(medevac_doc())
    assert {a.id: a.capabilities for a in inp.fleet} == {
        "CARGO-1": frozenset(),
        "MEDEVAC-1": frozenset({"medevac"}),
    }
    assert {c.id: c.requires for c in inp.consignments} == {
        "PATIENTS": frozenset({"medevac"}),
        "CARGO": frozenset(),
    }
    bad = medevac_doc()
    bad["consignments"][0]["requires"] = "medevac"
    with pytest.raises(AirliftInputError, match=r"consignments\[0\] \('PATIENTS'\): requires"):
        parse_airlift(bad)
    bad = medevac_doc()
    bad["fleet"][1]["capabilities"] = [""]
    with pytest.raises(AirliftInputError, match=r"fleet\[1\] \('MEDEVAC-1'\): capabilities"):
        parse_airlift(bad)


def _carrier(plan: dict[str, Any]) -> dict[str, str]:
    return {
        cid: sortie["aircraft"]
        for sortie in plan["sorties"]
        for stop in sortie["stops"]
        for cid in stop.get("load", [])
    }


def test_patients_fly_only_on_the_medevac_aircraft_and_the_checker_says_so() -> None:
    inp = parse_airlift(medevac_doc())
    plan = plan_to_json(plan_airlift(inp, 1.0))
    assert plan["stats"]["violations"] == []
    assert _carrier(plan)["PATIENTS"] == "MEDEVAC-1"
    # The same sorties flown by the unfitted aircraft (same type and base, so only the
    # fitting differs): the checker names the broken rule.
    swapped = copy.deepcopy(plan)
    for sortie in swapped["sorties"]:
        sortie["aircraft"] = {"MEDEVAC-1": "CARGO-1", "CARGO-1": "MEDEVAC-1"}[sortie["aircraft"]]
    rules = {v.rule for v in check_airlift(inp, swapped)}
    assert "capability" in rules


def test_without_a_capable_aircraft_the_consignment_is_unplanned_with_its_reason() -> None:
    inp = parse_airlift(medevac_doc(fitted=False))
    plan = plan_airlift(inp, 0.5)
    assert plan.stats["violations"] == []
    (entry,) = [u for u in plan.unassigned if u.consignment == "PATIENTS"]
    assert entry.code == "no_capable_aircraft"
    assert entry.params == {"requires": "medevac"}
    assert entry.reason == "no aircraft in the fleet has what it requires (medevac)"
    assert _carrier(plan_to_json(plan)) == {"CARGO": _carrier(plan_to_json(plan))["CARGO"]}


def _with_requirements(seed: int, fitted_share: float, required_share: float) -> dict[str, Any]:
    """A generated instance where some aircraft are fitted for MEDEVAC (or for
    ``cold-chain``) and some consignments require one or both."""
    rng = random.Random(seed)
    doc = generate(14, 5, seed=seed)
    for plane in doc["fleet"]:
        plane["capabilities"] = [
            name for name in ("medevac", "cold-chain") if rng.random() < fitted_share
        ]
    for c in doc["consignments"]:
        c["requires"] = [n for n in ("medevac", "cold-chain") if rng.random() < required_share]
    return doc


@settings(max_examples=6)
@given(
    st.integers(0, 2**16),
    st.sampled_from([0.0, 0.3, 0.7]),
    st.sampled_from([0.2, 0.5]),
)
def test_no_plan_loads_a_consignment_on_an_aircraft_lacking_what_it_requires(
    seed: int, fitted_share: float, required_share: float
) -> None:
    doc = _with_requirements(seed, fitted_share, required_share)
    inp = parse_airlift(doc)
    plan = plan_to_json(plan_airlift(inp, 0.3, seed=seed))
    assert plan["stats"]["violations"] == []
    fitted = {a["id"]: set(a["capabilities"]) for a in doc["fleet"]}
    requires = {c["id"]: set(c["requires"]) for c in doc["consignments"]}
    for cid, plane in _carrier(plan).items():
        assert requires[cid] <= fitted[plane], (cid, plane)
    unplanned = {u["consignment"]: u for u in plan["unassigned"]}
    every = set().union(*fitted.values())
    for cid, needed in requires.items():
        if not needed <= every:
            assert unplanned[cid]["code"] == "no_capable_aircraft", cid
            assert unplanned[cid]["params"] == {"requires": ", ".join(sorted(needed))}
