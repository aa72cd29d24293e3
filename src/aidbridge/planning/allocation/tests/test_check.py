"""The feasibility checker catches every kind of broken plan."""

from __future__ import annotations

import pytest

from aidbridge.planning.allocation import (
    Allocation,
    AllocationPlan,
    PlanInfeasible,
    check_allocation,
    parse_allocation,
    plan_from_json,
)

from .factories import doc, need, supply

PROBLEM = parse_allocation(
    doc(
        [
            need("ITA-1", quantity=10, needed_by="2020-04-05"),
            need("FRA-1", party="FRA", quantity=10),
            need("DEU-1", party="DEU", item="MASK-SURG", quantity=10),
        ],
        [
            supply("S1", quantity=10),
            supply("S-LATE", quantity=10, available_from="2020-04-06"),
            supply("S-ITA", party="ITA", quantity=10),
            supply("S-ONLY", quantity=10, only_for=["FRA"]),
            supply("S-NOT", quantity=10, not_for=["ITA"]),
        ],
    )
)


def violations(*allocations: tuple[str, str, int]) -> list[str]:
    plan = AllocationPlan(tuple(Allocation(s, n, q) for s, n, q in allocations))
    return check_allocation(PROBLEM, plan).violations


def test_a_good_plan_passes() -> None:
    assert violations(("S1", "ITA-1", 6), ("S1", "FRA-1", 4), ("S-ONLY", "FRA-1", 6)) == []


@pytest.mark.parametrize(
    ("allocation", "expected"),
    [
        (("S1", "DEU-1", 1), "may not serve (item)"),
        (("S-LATE", "ITA-1", 1), "may not serve (date)"),
        (("S-ITA", "ITA-1", 1), "may not serve (own party)"),
        (("S-ONLY", "ITA-1", 1), "may not serve (only_for)"),
        (("S-NOT", "ITA-1", 1), "may not serve (not_for)"),
        (("S-NOPE", "ITA-1", 1), "unknown supply"),
        (("S1", "ITA-9", 1), "unknown need"),
        (("S1", "ITA-1", 0), "is not a positive integer"),
    ],
)
def test_each_rule_is_caught(allocation: tuple[str, str, int], expected: str) -> None:
    found = violations(allocation)
    assert len(found) == 1 and expected in found[0]


def test_over_giving_and_over_receiving() -> None:
    found = violations(("S1", "ITA-1", 8), ("S1", "FRA-1", 8), ("S-NOT", "FRA-1", 5))
    assert "supply S1: gives 16 of 10 units" in found
    assert "need FRA-1: receives 13 of 10 units" in found
    with pytest.raises(PlanInfeasible):
        check_allocation(
            PROBLEM, AllocationPlan((Allocation("S1", "ITA-1", 11),))
        ).raise_if_broken()


def test_stored_plan_is_read_back_and_rechecked() -> None:
    stored = {
        "allocations": [{"supply": "S1", "need": "ITA-1", "quantity": 11}],
        "stats": {"tonne_km": 1.5},
    }
    plan = plan_from_json(stored)
    assert plan.allocations == (Allocation("S1", "ITA-1", 11),)
    assert plan.stats == {"tonne_km": 1.5}
    # 11 units on one pair where the supply holds 10 and the need asks 10: both ends
    # are over, each reported once (the order of the report is not part of the contract).
    found = check_allocation(PROBLEM, plan).violations
    assert len(found) == 2
    assert set(found) == {"supply S1: gives 11 of 10 units", "need ITA-1: receives 11 of 10 units"}
