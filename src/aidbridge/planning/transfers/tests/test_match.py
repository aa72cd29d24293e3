"""The matcher on small cases whose answer can be worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aidbridge.planning.transfers import (
    BedOffer,
    MatchingInput,
    MatchingInputError,
    MatchingPlan,
    Place,
    TransferNeed,
    check_matching,
    match_transfers,
)

NOW = dt.datetime(2020, 4, 1, 12, tzinfo=dt.UTC)
BERGAMO = Place(45.69, 9.67)
STRASBOURG = Place(48.58, 7.75)
LEIPZIG = Place(51.34, 12.37)
FREIBURG = Place(47.99, 7.85)
LUXEMBOURG = Place(49.61, 6.13)


def need(
    id: str,
    region: str,
    count: int,
    origin: Place = BERGAMO,
    ventilated: bool = False,
    isolation: bool = False,
) -> TransferNeed:
    return TransferNeed(
        id=id,
        region=region,
        bed_type="AdultICU",
        count=count,
        origin=origin,
        ventilated=ventilated,
        isolation=isolation,
    )


def offer(
    id: str,
    beds: int,
    at: Place = LEIPZIG,
    hours_old: float = 2,
    bed_type: str = "AdultICU",
    ventilation: bool = True,
    isolation: bool = False,
    only_for: frozenset[str] = frozenset(),
) -> BedOffer:
    return BedOffer(
        id=id,
        hospital=id,
        bed_type=bed_type,
        beds=beds,
        location=at,
        reported_at=NOW - dt.timedelta(hours=hours_old),
        ventilation=ventilation,
        isolation=isolation,
        only_for=only_for,
    )


def plan_for(needs: list[TransferNeed], offers: list[BedOffer], **kw: Any) -> MatchingPlan:
    problem = MatchingInput(needs=tuple(needs), offers=tuple(offers), now=NOW, **kw)
    plan = match_transfers(problem)
    assert check_matching(problem, plan).ok, check_matching(problem, plan).problems
    return plan


def test_the_worst_served_region_comes_first() -> None:
    # Lombardy and Grand Est ask 10 each; 10 beds in Freiburg serve both, 5 in Leipzig
    # are reserved for Lombardy. Equal fills of 7.5 are possible (Lombardy 5 + 2.5,
    # Grand Est 7.5), so each region's share is 7.5 and whole patients give 7 and 8.
    plan = plan_for(
        [need("L", "Lombardy", 10), need("G", "Grand Est", 10, origin=STRASBOURG)],
        [offer("FR", 10, at=FREIBURG), offer("LE", 5, only_for=frozenset({"L"}))],
    )
    matched = {r.region: r.matched for r in plan.regions}
    assert sum(matched.values()) == 15
    assert sorted(matched.values()) == [7, 8]
    assert {r.region: r.share for r in plan.regions} == pytest.approx(
        {"Lombardy": 7.5, "Grand Est": 7.5}
    )


def test_a_region_that_cannot_be_helped_more_does_not_hold_back_the_others() -> None:
    # Grand Est can only use 2 beds (isolation); Lombardy then takes everything else.
    plan = plan_for(
        [need("L", "Lombardy", 10), need("G", "Grand Est", 10, origin=STRASBOURG, isolation=True)],
        [offer("ISO", 2, at=FREIBURG, isolation=True), offer("LE", 20)],
    )
    matched = {r.region: r.matched for r in plan.regions}
    assert matched == {"Grand Est": 2, "Lombardy": 10}
    assert plan.levels == pytest.approx((0.2, 1.0))
    assert plan.regions[0].region == "Grand Est"


def test_fewest_minutes_among_fair_plans_and_the_mode() -> None:
    # Strasbourg to Freiburg by road (about 70 km), to Leipzig by air.
    plan = plan_for(
        [need("G", "Grand Est", 3, origin=STRASBOURG)],
        [offer("LE", 3), offer("FR", 2, at=FREIBURG)],
    )
    by_offer = {t.offer: t for t in plan.transfers}
    assert by_offer["FR"].patients == 2 and by_offer["FR"].mode == "road"
    assert by_offer["LE"].patients == 1 and by_offer["LE"].mode == "air"
    assert plan.patient_minutes == pytest.approx(
        2 * by_offer["FR"].minutes + by_offer["LE"].minutes
    )


@pytest.mark.parametrize(
    ("offers", "reason"),
    [
        ([offer("B", 5, bed_type="Burn")], "no_bed_of_type"),
        ([offer("NV", 5, ventilation=False)], "no_bed_meeting_constraints"),
        ([offer("OLD", 5, hours_old=60)], "capacity_report_too_old"),
        ([offer("FAR", 5, at=Place(64.1, -21.9))], "no_bed_in_range"),
    ],
)
def test_each_unmatched_need_says_why(offers: list[BedOffer], reason: str) -> None:
    plan = plan_for([need("L", "Lombardy", 3, ventilated=True)], offers, max_minutes=300)
    assert [(s.need, s.patients, s.reason) for s in plan.shortfalls] == [("L", 3, reason)]
    assert plan.transfers == ()


def test_beds_taken_by_a_worse_served_region_are_said_so() -> None:
    plan = plan_for(
        [need("L", "Lombardy", 4), need("G", "Grand Est", 4, origin=STRASBOURG)],
        [offer("LE", 4)],
    )
    assert {s.reason for s in plan.shortfalls} == {"beds_shared_fairly"}
    assert sum(s.patients for s in plan.shortfalls) == 4


def test_stale_reports_follow_the_configured_age() -> None:
    needs, offers = [need("L", "Lombardy", 2)], [offer("LE", 2, hours_old=30)]
    assert plan_for(needs, offers).matched == 2
    assert plan_for(needs, offers, max_report_age=dt.timedelta(hours=24)).matched == 0


def test_bad_input_names_every_entry() -> None:
    with pytest.raises(MatchingInputError) as err:
        MatchingInput(
            needs=(need("L", "Lombardy", 0), need("L", "Lombardy", 1, origin=Place(95, 0))),
            offers=(offer("O", -1),),
            now=NOW,
        )
    text = str(err.value)
    assert 'need "L": count must be at least 1, got 0' in text
    assert 'need "L": id used twice' in text
    assert 'need "L": origin is not a latitude/longitude' in text
    assert 'offer "O": beds must not be negative, got -1' in text


def test_nothing_to_match() -> None:
    plan = plan_for([], [offer("LE", 3)])
    assert plan.transfers == () and plan.shortfalls == () and plan.regions == ()
