"""Explanations name the constraint that bound each need."""

from __future__ import annotations

from aidbridge.planning.allocation import (
    explain_all,
    explain_need,
    parse_allocation,
    plan_allocation,
)

from .factories import doc, need, supply

PROBLEM = parse_allocation(
    doc(
        [
            need("ITA-CRIT", quantity=100, priority=1),
            need("FRA-ROUT", party="FRA", quantity=100, priority=3),
            need("DEU-ROUT", party="DEU", quantity=100, priority=3),
            need("ESP-LATE", party="ESP", quantity=10, needed_by="2020-04-01"),
            need("POL-MASK", party="POL", item="MASK-SURG", quantity=10),
            need("GRC-FULL", party="GRC", item="RESP-FFP2", quantity=10),
        ],
        [
            supply("STOCK", quantity=150, available_from="2020-03-01"),
            supply("LATE", quantity=10, available_from="2020-04-02"),
            supply("FFP2", item="RESP-FFP2", quantity=10),
        ],
    )
)
PLAN = plan_allocation(PROBLEM)


def test_fully_served() -> None:
    e = explain_need(PROBLEM, PLAN, "GRC-FULL")
    assert e.binding == "served" and e.received == 10


def test_no_supply_of_the_item() -> None:
    e = explain_need(PROBLEM, PLAN, "POL-MASK")
    assert e.binding == "no_supply"
    assert "no supply of MASK-SURG or of an accepted substitute" in e.text()


def test_excluded_by_date() -> None:
    e = explain_need(PROBLEM, PLAN, "ESP-LATE")
    assert e.binding == "served"
    assert "LATE (from 2020-04-02, needed by 2020-04-01)" in e.text()


def test_shortage_names_who_shares_it() -> None:
    e = explain_need(PROBLEM, PLAN, "FRA-ROUT")
    assert e.binding == "shortage"
    sharers = {sh.need: sh for sh in e.sharers}
    assert set(sharers) == {"ITA-CRIT", "DEU-ROUT", "ESP-LATE"}
    assert sharers["ITA-CRIT"].priority == 1
    assert "higher-priority needs" in e.text()
    # ITA also takes LATE (in time for it), so STOCK keeps 150 - 90 - 10 = 50 for
    # the routine needs, shared evenly.
    assert e.received == 25 and sharers["DEU-ROUT"].units_from_shared == 25


def test_excluded_everything() -> None:
    problem = parse_allocation(doc([need("ITA-1")], [supply("S1", party="ITA")]))
    e = explain_need(problem, plan_allocation(problem), "ITA-1")
    assert e.binding == "excluded"
    assert "Excluded, own party: S1 (ITA)" in e.text()


def test_explain_all_equals_one_by_one() -> None:
    every = explain_all(PROBLEM, PLAN)
    assert list(every) == [n.id for n in PROBLEM.needs]
    for n in PROBLEM.needs:
        assert every[n.id].text() == explain_need(PROBLEM, PLAN, n.id).text()
