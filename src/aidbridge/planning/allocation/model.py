"""The allocation planner's data: what comes in, what goes out.

Plain frozen dataclasses so an adapter (the Django app, the command line, a test) can
build the input without knowing how the solver works, and so a plan can be re-checked
later against the exact data it was computed from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

PRIORITIES = (1, 2, 3)
"""1 critical, 2 high, 3 routine: the order in which classes are served."""


class AllocationInputError(ValueError):
    """The input breaks rules of the spec; the message names every offending entry.

    ``problems`` holds ``(entry, problem)`` pairs, e.g.
    ``('needs[3] "ITA-0007/2"', "quantity must be a positive integer, got 2.5")``.
    """

    MAX_LISTED = 20

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = list(problems)
        lines = [f"{entry}: {problem}" for entry, problem in self.problems[: self.MAX_LISTED]]
        if len(self.problems) > self.MAX_LISTED:
            lines.append(f"... and {len(self.problems) - self.MAX_LISTED} more problems")
        super().__init__("\n".join(lines))


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    unit_weight_kg: float


@dataclass(frozen=True, slots=True)
class Need:
    id: str
    party: str
    item: str
    quantity: int
    priority: int
    needed_by: dt.date | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Supply:
    id: str
    party: str
    item: str
    quantity: int
    available_from: dt.date | None = None
    location: Location | None = None
    only_for: frozenset[str] = frozenset()
    not_for: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class AllocationInput:
    """A validated problem. Build it with :func:`parse_allocation` or directly."""

    items: dict[str, Item]
    substitutes: frozenset[tuple[str, str]]
    """Pairs ``(need_item, supply_item)``: a need for the first may take the second."""
    needs: tuple[Need, ...]
    supplies: tuple[Supply, ...]


@dataclass(frozen=True, slots=True)
class Allocation:
    supply: str
    need: str
    quantity: int


@dataclass(frozen=True, slots=True)
class AllocationPlan:
    """The proposal: whole-unit allocations plus free-form figures (see ``stats`` keys).

    ``fills`` maps every need id to the fractional (LP) leximin target in units, the
    value the spec's rounding rule is measured against; ``explain_need`` uses it.
    """

    allocations: tuple[Allocation, ...]
    stats: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
