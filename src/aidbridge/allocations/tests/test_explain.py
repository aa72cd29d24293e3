"""Explaining every need on its slice of the problem says exactly what the planner says
on the whole problem."""

from __future__ import annotations

import pytest

from aidbridge.allocations.explain import explain_all
from aidbridge.planning.allocation import explain_need, parse_allocation, plan_allocation
from aidbridge.planning.allocation.generate import InstanceSize, generate_instance


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sliced_explanations_equal_the_whole_problems(seed: int) -> None:
    problem = parse_allocation(
        generate_instance(InstanceSize(needs=60, supplies=40, parties=6, items=5), seed)
    )
    plan = plan_allocation(problem)
    assert plan.allocations
    expected = {n.id: explain_need(problem, plan, n.id).text() for n in problem.needs}
    assert explain_all(problem, plan) == expected
    assert any("shared with" in text for text in expected.values())
