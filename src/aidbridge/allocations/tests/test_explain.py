"""Explaining every need on its slice of the problem says exactly what the planner says
on the whole problem."""

from __future__ import annotations

import pytest

from aidbridge.allocations.explain import english_text, explain_all
from aidbridge.planning.allocation import explain_need, parse_allocation, plan_allocation
from aidbridge.planning.allocation.generate import InstanceSize, generate_instance


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sliced_explanations_equal_the_whole_problems(seed: int) -> None:
    problem = parse_allocation(
        generate_instance(InstanceSize(needs=60, supplies=40, parties=6, items=5), seed)
    )
    plan = plan_allocation(problem)
    assert plan.allocations
    expected = {n.id: explain_need(problem, plan, n.id).parts() for n in problem.needs}
    assert explain_all(problem, plan) == expected
    assert any(code == "shortage_shared" for p in expected.values() for code, _ in p)
    texts = {need: english_text(p) for need, p in explain_all(problem, plan).items()}
    assert texts == {n.id: explain_need(problem, plan, n.id).text() for n in problem.needs}
    assert any("shared with" in text for text in texts.values())
