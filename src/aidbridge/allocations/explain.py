"""Why each need got what it got, as the planner explains it (``explain_need``)."""

from __future__ import annotations

from aidbridge.planning.allocation import AllocationInput, AllocationPlan, explain_need


def explain_all(problem: AllocationInput, plan: AllocationPlan) -> dict[str, str]:
    """The planner's explanation of every need, keyed by need id."""
    return {n.id: explain_need(problem, plan, n.id).text() for n in problem.needs}
