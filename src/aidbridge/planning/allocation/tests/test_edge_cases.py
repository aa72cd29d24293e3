"""The edge cases of the issue and small cases whose optimum is known by hand."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from aidbridge.planning.allocation import AllocationPlan, parse_allocation, plan_allocation

from .factories import GYOR, LYON, MILAN, OSLO, doc, need, supply


def solve(document: dict[str, Any]) -> AllocationPlan:
    return plan_allocation(parse_allocation(document))


def received(plan: AllocationPlan) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for a in plan.allocations:
        out[a.need] += a.quantity
    return out


def test_no_supply_plans_nothing() -> None:
    plan = solve(doc([need("ITA-1"), need("FRA-1", party="FRA")], []))
    assert plan.allocations == ()
    assert plan.stats["by_class"]["1"]["filled"] == 0


def test_everything_earmarked_elsewhere() -> None:
    plan = solve(
        doc(
            [need("ITA-1"), need("FRA-1", party="FRA")],
            [supply("S1", only_for=["ESP"]), supply("S2", not_for=["ITA", "FRA"])],
        )
    )
    assert plan.allocations == ()


def test_earmark_steers_to_the_named_party() -> None:
    plan = solve(doc([need("ITA-1"), need("FRA-1", party="FRA")], [supply("S1", only_for=["FRA"])]))
    assert received(plan) == {"FRA-1": 100}


def test_dates_exclude_everything() -> None:
    plan = solve(
        doc([need("ITA-1", needed_by="2020-04-10")], [supply("S1", available_from="2020-04-11")])
    )
    assert plan.allocations == ()


def test_same_day_is_in_time_and_missing_date_never_excludes() -> None:
    plan = solve(
        doc(
            [
                need("ITA-1", quantity=10, needed_by="2020-04-10"),
                need("FRA-1", party="FRA", quantity=10),
            ],
            [supply("S1", quantity=10, available_from="2020-04-10"), supply("S2", quantity=10)],
        )
    )
    assert received(plan) == {"ITA-1": 10, "FRA-1": 10}


def test_substitutes_only() -> None:
    needs = [need("ITA-1", item="MASK-SURG", quantity=1000)]
    supplies = [supply("S1", item="RESP-FFP2", quantity=600)]
    assert solve(doc(needs, supplies)).allocations == ()
    plan = solve(doc(needs, supplies, substitutes=[("MASK-SURG", "RESP-FFP2")]))
    assert received(plan) == {"ITA-1": 600}
    assert plan.stats["substitute_units"] == 600
    # A substitute is one-way: FFP2 needs may not take surgical masks.
    reverse = solve(
        doc(
            [need("ITA-1", item="RESP-FFP2")],
            [supply("S1", item="MASK-SURG")],
            substitutes=[("MASK-SURG", "RESP-FFP2")],
        )
    )
    assert reverse.allocations == ()


def test_one_party_on_both_sides() -> None:
    plan = solve(doc([need("ITA-1")], [supply("S1", party="ITA")]))
    assert plan.allocations == ()


def test_huge_quantities_stay_whole_and_exact() -> None:
    big = 10**12
    plan = solve(
        doc(
            [need("ITA-1", quantity=big), need("FRA-1", party="FRA", quantity=big // 2)],
            [supply("S1", quantity=big - 1)],
        )
    )
    got = received(plan)
    assert sum(got.values()) == big - 1
    # Leximin: equal fills, 2/3 of the stock to the need twice as large (within a unit).
    assert abs(got["ITA-1"] - 2 * (big - 1) / 3) < 1
    assert all(isinstance(a.quantity, int) for a in plan.allocations)


def test_critical_before_routine_whatever_the_order() -> None:
    plan = solve(
        doc(
            [need("FRA-9", party="FRA", priority=3), need("ITA-1", priority=1)],
            [supply("S1", quantity=150)],
        )
    )
    assert received(plan) == {"ITA-1": 100, "FRA-9": 50}


def test_leximin_shares_a_shortage_by_fill_not_by_units() -> None:
    plan = solve(
        doc(
            [need("ITA-1", quantity=300), need("FRA-1", party="FRA", quantity=100)],
            [supply("S1", quantity=200)],
        )
    )
    assert received(plan) == {"ITA-1": 150, "FRA-1": 50}
    assert plan.stats["by_class"]["1"]["min_fill"] == 0.5


def test_leximin_gives_exclusive_stock_to_its_only_taker_first() -> None:
    # FRA can only use S2 (S1 is not for FRA): ITA should take S1, not share S2.
    plan = solve(
        doc(
            [need("ITA-1", quantity=100), need("FRA-1", party="FRA", quantity=100)],
            [supply("S1", quantity=100, not_for=["FRA"]), supply("S2", quantity=100)],
        )
    )
    assert received(plan) == {"ITA-1": 100, "FRA-1": 100}


def test_fewest_tonne_km_then_exact_items() -> None:
    # Two equal shares of the stock: the nearer supply goes to each need.
    plan = solve(
        doc(
            [
                need("ITA-1", quantity=10, location=MILAN),
                need("NOR-1", party="NOR", quantity=10, location=OSLO),
            ],
            [
                supply("S-GYOR", quantity=10, location=GYOR),
                supply("S-OSLO", party="SWE", quantity=10, location={"lat": 59.3, "lon": 18.07}),
            ],
        )
    )
    pairs = {(a.supply, a.need) for a in plan.allocations}
    assert pairs == {("S-GYOR", "ITA-1"), ("S-OSLO", "NOR-1")}
    assert plan.stats["tonne_km"] == plan.stats["bound_tonne_km"]

    # Same place, same weight: the exact item wins over the substitute.
    same = {"code": "MASK-SURG", "unit_weight_kg": 0.005}
    document = doc(
        [need("ITA-1", item="MASK-SURG", quantity=50, location=MILAN)],
        [
            supply("S-SUB", item="RESP-FFP2", quantity=50, location=LYON),
            supply("S-EXACT", item="MASK-SURG", quantity=50, location=LYON),
        ],
        substitutes=[("MASK-SURG", "RESP-FFP2")],
    )
    document["items"] = [
        same,
        {"code": "RESP-FFP2", "unit_weight_kg": 0.005},
        {"code": "VENT-ICU", "unit_weight_kg": 30.0},
    ]
    plan = solve(document)
    assert [(a.supply, a.quantity) for a in plan.allocations] == [("S-EXACT", 50)]
    assert plan.stats["substitute_units"] == 0


def test_distance_never_outranks_fairness() -> None:
    # The far supply must still be used to keep fills equal.
    plan = solve(
        doc(
            [
                need("ITA-1", quantity=10, location=MILAN),
                need("FRA-1", party="FRA", quantity=10, location=LYON),
            ],
            [
                supply("NEAR", quantity=10, location=MILAN),
                supply("FAR", quantity=10, location=OSLO),
            ],
        )
    )
    assert received(plan) == {"ITA-1": 10, "FRA-1": 10}


def test_stats_report_bounds_and_stage_times() -> None:
    plan = solve(doc([need("ITA-1")], [supply("S1", quantity=40)]))
    stats = plan.stats
    assert stats["by_class"]["1"]["bound_max_units"] == 40
    assert stats["by_class"]["1"]["filled"] == 40
    assert set(stats["seconds"]) >= {"network", "leximin", "whole_units", "total"}
