"""Why each need got what it got, as the planner explains it (``explain_need``).

``explain_need`` reads the whole input and plan for one need; called for every need
of a large crisis that is quadratic (2,000 needs x 1,500 supplies: over 20 s). Only
the supplies of the need's item and its substitutes can matter, with their
allocations and the needs they serve, so each need is explained on that slice, built
once per item set. The text is the same as on the whole problem (a test checks it).
"""

from __future__ import annotations

from collections import defaultdict

from aidbridge.planning.allocation import (
    AllocationInput,
    AllocationPlan,
    explain_need,
)
from aidbridge.planning.allocation.explain import Part, english


def english_text(parts: list[Part]) -> str:
    """The planner's English wording (the API's and the CLI's)."""
    return "\n".join(english(code, params) for code, params in parts)


def explain_all(problem: AllocationInput, plan: AllocationPlan) -> dict[str, list[Part]]:
    """The planner's explanation of every need as reason codes and parameters (see
    ``allocations.wording`` for the reader's language), keyed by need id."""
    usable: dict[str, set[str]] = defaultdict(set)  # need item -> supply items that serve it
    for need in problem.needs:
        usable[need.item].add(need.item)
    for need_item, supply_item in problem.substitutes:
        usable[need_item].add(supply_item)
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for need in problem.needs:
        groups[frozenset(usable[need.item])].append(need.id)

    texts: dict[str, list[Part]] = {}
    for items, need_ids in groups.items():
        supplies = tuple(s for s in problem.supplies if s.item in items)
        supply_ids = {s.id for s in supplies}
        # Every need these supplies serve (a sharer), and every allocation to any of
        # them, in plan order: the slice keeps the whole plan's order and sums.
        touched = set(need_ids) | {a.need for a in plan.allocations if a.supply in supply_ids}
        part = AllocationInput(
            items=problem.items,
            substitutes=problem.substitutes,
            needs=tuple(n for n in problem.needs if n.id in touched),
            supplies=supplies,
        )
        part_plan = AllocationPlan(
            allocations=tuple(
                a for a in plan.allocations if a.supply in supply_ids or a.need in touched
            ),
            stats=plan.stats,
            targets=plan.targets,
        )
        for need_id in need_ids:
            texts[need_id] = explain_need(part, part_plan, need_id).parts()
    return {n.id: texts[n.id] for n in problem.needs}
