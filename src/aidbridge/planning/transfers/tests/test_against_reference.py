"""The matcher against the definitions, on generated instances (Hypothesis)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.planning.transfers import (
    BedOffer,
    MatchingInput,
    Place,
    TransferNeed,
    check_matching,
    match_transfers,
)
from aidbridge.planning.transfers.generate import NOW, SENDING_REGIONS, generate

from .reference import Reference

BED_TYPES = ("AdultICU", "PediatricICU", "Burn")


@st.composite
def instances(draw: st.DrawFn) -> MatchingInput:
    regions = SENDING_REGIONS[: draw(st.integers(1, 4))]
    needs = []
    for i in range(draw(st.integers(1, 8))):
        name, lat, lon = draw(st.sampled_from(regions))
        needs.append(
            TransferNeed(
                id=f"N{i}",
                region=name,
                bed_type=draw(st.sampled_from(BED_TYPES)),
                count=draw(st.integers(1, 6)),
                origin=Place(lat, lon),
                ventilated=draw(st.booleans()),
                isolation=draw(st.booleans()),
            )
        )
    offers = []
    for j in range(draw(st.integers(0, 7))):
        only = draw(st.sets(st.sampled_from([n.id for n in needs]), max_size=2))
        offers.append(
            BedOffer(
                id=f"O{j}",
                hospital=f"H{j}",
                bed_type=draw(st.sampled_from(BED_TYPES)),
                beds=draw(st.integers(0, 9)),
                location=Place(draw(st.floats(44, 55)), draw(st.floats(-4, 20))),
                reported_at=NOW - dt.timedelta(hours=draw(st.floats(0, 60))),
                ventilation=draw(st.booleans()),
                isolation=draw(st.booleans()),
                only_for=frozenset(only) if draw(st.booleans()) else frozenset(),
            )
        )
    return MatchingInput(
        needs=tuple(needs),
        offers=tuple(offers),
        now=NOW,
        max_minutes=draw(st.sampled_from([240.0, 400.0, 720.0])),
    )


def assert_matches_reference(problem: MatchingInput) -> None:
    plan = match_transfers(problem)
    check = check_matching(problem, plan)
    assert check.ok, check.problems
    ref = Reference(problem)
    shares, most, minutes = ref.round_trip()
    got = {r.region: r for r in plan.regions}
    for k, region in enumerate(ref.regions):
        # The fair share of the definition, and whole patients within one of it.
        assert got[region].share == pytest.approx(shares[k], abs=1e-5)
        assert np.floor(shares[k] + 1e-6) <= got[region].matched <= np.ceil(shares[k] - 1e-6)
    assert plan.matched == round(most)
    assert plan.patient_minutes == pytest.approx(minutes, rel=1e-7, abs=1e-6)


@settings(max_examples=40)
@given(instances())
def test_generated_instances_match_the_definitions(problem: MatchingInput) -> None:
    assert_matches_reference(problem)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_spring_2020_shaped_instance_matches_the_definitions(seed: int) -> None:
    # Enough needs that regions share hospitals; the dense reference stays small.
    problem = generate(30, 12, seed=seed, n_regions=5)
    assert_matches_reference(problem)
