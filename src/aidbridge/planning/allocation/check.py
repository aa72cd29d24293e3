"""The spec's feasibility rules, checked on any plan, independently of the solver.

Deliberately plain Python (no numpy, no shared code with ``network.py``): a bug in the
vectorised compatibility builder must not be able to hide itself here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .model import AllocationInput, AllocationPlan, Need, Supply


def may_serve(problem: AllocationInput, supply: Supply, need: Need) -> bool:
    """The spec's "may serve" rule, word for word."""
    return not why_not(problem, supply, need)


def why_not(problem: AllocationInput, supply: Supply, need: Need) -> list[str]:
    """Every rule that stops ``supply`` from serving ``need`` (empty: it may serve)."""
    reasons = []
    if supply.item != need.item and (need.item, supply.item) not in problem.substitutes:
        reasons.append("item")
    if supply.party == need.party:
        reasons.append("own party")
    if supply.only_for and need.party not in supply.only_for:
        reasons.append("only_for")
    if need.party in supply.not_for:
        reasons.append("not_for")
    if (
        supply.available_from is not None
        and need.needed_by is not None
        and supply.available_from > need.needed_by
    ):
        reasons.append("date")
    return reasons


class PlanInfeasible(AssertionError):
    """A plan breaks the spec's rules (a solver bug, or a stale stored proposal)."""


@dataclass(slots=True)
class CheckReport:
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def raise_if_broken(self) -> None:
        if self.violations:
            shown = "\n".join(self.violations[:20])
            raise PlanInfeasible(f"{len(self.violations)} violations:\n{shown}")


def check_allocation(problem: AllocationInput, plan: AllocationPlan) -> CheckReport:
    """All violations of the spec's output rules by ``plan`` for ``problem``."""
    report = CheckReport()
    supplies = {s.id: s for s in problem.supplies}
    needs = {n.id: n for n in problem.needs}
    given: dict[str, int] = defaultdict(int)
    received: dict[str, int] = defaultdict(int)
    for i, a in enumerate(plan.allocations):
        where = f"allocations[{i}] ({a.supply} -> {a.need})"
        if isinstance(a.quantity, bool) or not isinstance(a.quantity, int) or a.quantity <= 0:
            report.violations.append(f"{where}: quantity {a.quantity!r} is not a positive integer")
            continue
        supply, need = supplies.get(a.supply), needs.get(a.need)
        if supply is None:
            report.violations.append(f"{where}: unknown supply")
        if need is None:
            report.violations.append(f"{where}: unknown need")
        if supply is None or need is None:
            continue
        reasons = why_not(problem, supply, need)
        if reasons:
            report.violations.append(f"{where}: may not serve ({', '.join(reasons)})")
        given[a.supply] += a.quantity
        received[a.need] += a.quantity
    for ident, total in given.items():
        if total > supplies[ident].quantity:
            report.violations.append(
                f"supply {ident}: gives {total} of {supplies[ident].quantity} units"
            )
    for ident, total in received.items():
        if total > needs[ident].quantity:
            report.violations.append(
                f"need {ident}: receives {total} of {needs[ident].quantity} units"
            )
    return report
