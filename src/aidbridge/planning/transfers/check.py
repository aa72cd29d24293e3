"""Check a matching against the rules, without the solver's code.

Used by the tests and after every run by the Django layer: a plan that breaks a rule
is never shown as a proposal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import MatchingInput, MatchingPlan


@dataclass(frozen=True)
class MatchingCheck:
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_matching(problem: MatchingInput, plan: MatchingPlan) -> MatchingCheck:
    needs = {n.id: n for n in problem.needs}
    offers = {o.id: o for o in problem.offers}
    problems: list[str] = []
    to_need: Counter[str] = Counter()
    to_offer: Counter[str] = Counter()
    for t in plan.transfers:
        need, offer = needs.get(t.need), offers.get(t.offer)
        if need is None or offer is None:
            problems.append(f"{t.need} -> {t.offer}: unknown need or offer")
            continue
        label = f"{need.id} -> {offer.id}"
        if t.patients < 1:
            problems.append(f"{label}: {t.patients} patients")
        if need.bed_type != offer.bed_type:
            problems.append(f"{label}: bed type {offer.bed_type} for a {need.bed_type} need")
        if need.ventilated and not offer.ventilation:
            problems.append(f"{label}: a ventilated patient in a bed without ventilation")
        if need.isolation and not offer.isolation:
            problems.append(f"{label}: a patient needing isolation in a bed without it")
        if offer.only_for and need.id not in offer.only_for:
            problems.append(f"{label}: the offer is reserved for other needs")
        if problem.is_stale(offer):
            problems.append(f"{label}: the bed report is older than allowed")
        minutes, mode = problem.transport.trip(problem.distance_km(need, offer))
        if minutes > problem.max_minutes + 1e-6:
            problems.append(
                f"{label}: {minutes:.0f} min, over the {problem.max_minutes:.0f} allowed"
            )
        if abs(minutes - t.minutes) > 1e-6 or mode != t.mode:
            problems.append(
                f"{label}: stated {t.minutes:.1f} min by {t.mode}, is {minutes:.1f} by {mode}"
            )
        to_need[need.id] += t.patients
        to_offer[offer.id] += t.patients
    for nid, got in to_need.items():
        if got > needs[nid].count:
            problems.append(f"{nid}: {got} patients matched, {needs[nid].count} requested")
    for oid, got in to_offer.items():
        if got > offers[oid].beds:
            problems.append(f"{oid}: {got} patients in {offers[oid].beds} beds")
    short = {s.need: s.patients for s in plan.shortfalls}
    for n in problem.needs:
        if to_need[n.id] + short.get(n.id, 0) != n.count:
            problems.append(
                f"{n.id}: matched {to_need[n.id]} + short {short.get(n.id, 0)} != {n.count}"
            )
    return MatchingCheck(tuple(problems))
