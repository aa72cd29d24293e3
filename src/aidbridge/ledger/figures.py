"""Typed figures, as the glossary (README) defines them.

Request-side figures are computed per request line and summed, so ``over_accepted`` and
``outstanding`` are line by line: a surplus on one line never hides a shortfall on
another.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


def _add(into: Any, other: Any) -> None:
    for f in fields(into):
        setattr(into, f.name, getattr(into, f.name) + getattr(other, f.name))


@dataclass
class Figures:
    """A request line's figures, or the sum of several lines'."""

    lines: int = 0
    # Lines of requests still circulated (the others are closed and ask for nothing).
    open_lines: int = 0
    requested: int = 0
    offered: int = 0
    awaiting: int = 0  # offered, awaiting the requester's decision
    accepted: int = 0
    declined: int = 0
    over_accepted: int = 0
    dispatched: int = 0
    in_transit: int = 0
    delivered: int = 0
    short_on_arrival: int = 0
    outstanding: int = 0

    @property
    def covered(self) -> int:
        """Σ min(accepted, requested), line by line."""
        return self.accepted - self.over_accepted

    @property
    def coverage(self) -> float | None:
        return round(self.covered / self.requested, 4) if self.requested else None

    @property
    def closed(self) -> bool:
        """Every line belongs to a closed request: nothing is missing any more."""
        return self.lines > 0 and self.open_lines == 0

    def add(self, other: Figures) -> None:
        _add(self, other)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["open"] = self.awaiting  # the picture API's earlier name for it
        out["coverage"] = self.coverage
        return out


@dataclass
class DonorFigures:
    """A donor's offer lines against lines in the picture, and its standing stock."""

    offers: int = 0
    offered: int = 0
    awaiting: int = 0
    accepted: int = 0
    declined: int = 0
    dispatched: int = 0
    in_transit: int = 0
    delivered: int = 0
    short_on_arrival: int = 0
    pledged: int = 0
    drawn: int = 0
    available: int = 0

    def add(self, other: DonorFigures) -> None:
        _add(self, other)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["open"] = self.awaiting
        out["standing"] = self.available  # the picture API's earlier name for it
        return out


@dataclass(frozen=True)
class Stock:
    """One standing (unsolicited) line: pledged, drawn into offers, still available."""

    pledged: int
    drawn: int

    @property
    def available(self) -> int:
        return self.pledged - self.drawn
