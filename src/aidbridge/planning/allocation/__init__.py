"""Allocation planner: who gets what from unearmarked stock and standing offers.

The contract is ``docs/specs/allocation.md``; this package meets it exactly. No
Django import here: adapters convert models to and from these dataclasses.

Public API (everything an adapter needs)::

    from aidbridge.planning.allocation import (
        AllocationInput, AllocationPlan, Allocation, AllocationInputError,
        parse_allocation, load_allocation, plan_allocation, check_allocation,
        explain_need, explain_all, plan_to_json, plan_from_json, input_to_json,
    )

    problem = parse_allocation(doc)        # dict in the spec's JSON form; raises
                                           # AllocationInputError naming every bad entry
    plan = plan_allocation(problem, progress=print)   # AllocationPlan
    plan.allocations                       # tuple[Allocation(supply, need, quantity)]
    plan.stats                             # per class: filled, min fill, proved bounds,
                                           # fill levels; tonne-km and its bound;
                                           # seconds per stage
    plan.targets                           # need id -> fractional leximin units
    check_allocation(problem, plan).ok     # the spec's feasibility rules, independently
    explain_need(problem, plan, "ITA-0007/2").text()  # why that need got what it got
    explain_all(problem, plan)             # need id -> NeedExplanation, for every need
    plan_to_json(plan)                     # {"allocations": [...], "stats": {...}}
    input_to_json(problem)                 # store what a proposal was computed from

The objective, in strict order: most units for priority 1, then leximin of fills in
class 1, then the same for classes 2 and 3, then fewest tonne-km, then exact items
before substitutes. See ``solve.py`` for the method and why it is exact.
"""

from .check import CheckReport, PlanInfeasible, check_allocation, may_serve
from .explain import NeedExplanation, explain_all, explain_need
from .model import (
    Allocation,
    AllocationInput,
    AllocationInputError,
    AllocationPlan,
    Item,
    Location,
    Need,
    Supply,
)
from .parse import input_to_json, load_allocation, parse_allocation, plan_from_json, plan_to_json
from .solve import plan_allocation

__all__ = [
    "Allocation",
    "AllocationInput",
    "AllocationInputError",
    "AllocationPlan",
    "CheckReport",
    "Item",
    "Location",
    "Need",
    "NeedExplanation",
    "PlanInfeasible",
    "Supply",
    "check_allocation",
    "explain_all",
    "explain_need",
    "input_to_json",
    "load_allocation",
    "may_serve",
    "parse_allocation",
    "plan_allocation",
    "plan_from_json",
    "plan_to_json",
]
