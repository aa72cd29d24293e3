"""The story test's own bookkeeping: a plain-Python model of what happened, and the
figures the binding definitions (README glossary, issue 10) derive from it.

Nothing here reads the database: each successful action updates the model from what
the test asked for, so every consumer is compared with an independent account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Offer line statuses, as the domain names them.
PROPOSED, OPEN, ACCEPTED, DECLINED, WITHDRAWN = (
    "proposed",
    "open",
    "accepted",
    "declined",
    "withdrawn",
)
LINE_FIGURES = (
    "requested",
    "offered",
    "awaiting",
    "accepted",
    "declined",
    "over_accepted",
    "dispatched",
    "delivered",
    "in_transit",
    "short",
    "outstanding",
)
DONOR_FIGURES = (
    "offered",
    "awaiting",
    "accepted",
    "declined",
    "dispatched",
    "delivered",
    "pledged",
    "drawn",
    "available",
)
Figures = dict[str, float | int | None]


@dataclass
class Rfa:
    id: int
    requester: str
    status: str = "draft"
    circulated: bool = False  # circulated_at set: in the picture for good
    reference: str | None = None


@dataclass
class Need:
    """A request line."""

    id: int
    rfa: int
    position: int
    item: str
    quantity: int
    transport: bool


@dataclass
class OLine:
    """An offer line: against a need, standing stock (need None), or drawn from stock."""

    id: int
    offer: int
    donor: str
    item: str
    quantity: int
    need: int | None
    own_transport: bool
    status: str = OPEN
    drawn_from: int | None = None
    accepted: int = 0
    declined: int = 0

    @property
    def pending(self) -> int:
        if self.status in (WITHDRAWN, PROPOSED):
            return 0
        return self.quantity - self.accepted - self.declined

    def settle(self) -> None:
        """Status follows the quantities, as for any offer line in the domain."""
        if self.status in (WITHDRAWN, PROPOSED):
            return
        if self.pending > 0:
            self.status = OPEN
        else:
            self.status = ACCEPTED if self.accepted else DECLINED


@dataclass
class Move:
    id: int
    line: int
    quantity: int
    received: int | None = None


@dataclass
class Story:
    crisis_open: bool = True
    rfas: dict[int, Rfa] = field(default_factory=dict)
    needs: dict[int, Need] = field(default_factory=dict)
    lines: dict[int, OLine] = field(default_factory=dict)
    moves: dict[int, Move] = field(default_factory=dict)

    # --- what the rules pick from ------------------------------------------------------
    def rfa_of(self, need: int) -> Rfa:
        return self.rfas[self.needs[need].rfa]

    def standing(self) -> list[OLine]:
        return [ln for ln in self.lines.values() if ln.need is None]

    def against_needs(self) -> list[OLine]:
        return [ln for ln in self.lines.values() if ln.need is not None]

    def dispatched(self, line: int) -> int:
        return sum(m.quantity for m in self.moves.values() if m.line == line)

    def pictured(self) -> list[Need]:
        return [n for n in self.needs.values() if self.rfas[n.rfa].circulated]

    def drawn(self, standing: int) -> int:
        return sum(
            ln.quantity - ln.declined
            for ln in self.lines.values()
            if ln.drawn_from == standing and ln.status != WITHDRAWN
        )

    def available(self, standing: OLine) -> int:
        if standing.status == WITHDRAWN:
            return 0
        return standing.quantity - standing.declined - self.drawn(standing.id)

    def settle_closed(self, rfa: int) -> None:
        """A closed or withdrawn request declines what still awaits a decision on it and
        withdraws its unconfirmed proposals (issue 10: state changes settle what they
        leave behind)."""
        for ln in self.lines.values():
            if ln.need is None or self.needs[ln.need].rfa != rfa:
                continue
            if ln.status == PROPOSED:
                ln.status = WITHDRAWN
            elif ln.status == OPEN:
                ln.declined += ln.pending
                ln.settle()

    def withdraw(self, line: OLine) -> None:
        """A withdrawn line; standing stock takes its unconfirmed proposals with it."""
        line.status = WITHDRAWN
        for ln in self.lines.values():
            if ln.drawn_from == line.id and ln.status == PROPOSED:
                ln.status = WITHDRAWN

    def close_crisis(self) -> None:
        """The crisis closes: its standing stock is no longer at its disposal."""
        self.crisis_open = False
        for ln in self.standing():
            if ln.status != WITHDRAWN:
                self.withdraw(ln)

    # --- figures -------------------------------------------------------------------------
    def need_figures(self, need: Need) -> Figures:
        offers = [ln for ln in self.lines.values() if ln.need == need.id]
        live = [ln for ln in offers if ln.status not in (WITHDRAWN, PROPOSED)]
        moves = [m for m in self.moves.values() if self.lines[m.line].need == need.id]
        accepted = sum(ln.accepted for ln in offers)
        circulated = self.rfas[need.rfa].status == "circulated"
        return {
            "requested": need.quantity,
            "offered": sum(ln.quantity - ln.declined for ln in live),
            "awaiting": sum(ln.pending for ln in live if ln.status == OPEN),
            "accepted": accepted,
            "declined": sum(ln.declined for ln in live),
            "over_accepted": max(accepted - need.quantity, 0),
            "dispatched": sum(m.quantity for m in moves),
            "delivered": sum(m.received or 0 for m in moves),
            "in_transit": sum(m.quantity for m in moves if m.received is None),
            "short": sum(m.quantity - m.received for m in moves if m.received is not None),
            "outstanding": max(need.quantity - accepted, 0) if circulated else 0,
            # Not a figure: what coverage is made of (min(accepted, requested)).
            "covered": min(accepted, need.quantity),
        }

    def lines_figures(self) -> dict[int, Figures]:
        return {n.id: with_coverage(self.need_figures(n)) for n in self.pictured()}

    def grouped(self, key: str) -> dict[str, Figures]:
        """Sums of the pictured lines' figures by "nation", "item" or "all"."""
        groups: dict[str, list[Figures]] = defaultdict(list)
        for need in self.pictured():
            name = {"nation": self.rfas[need.rfa].requester, "item": need.item, "all": "all"}
            groups[name[key]].append(self.need_figures(need))
        return {name: with_coverage(add_up(rows)) for name, rows in groups.items()}

    def donor_figures(self, by_item: bool = False) -> dict[str, Figures]:
        """Per donor (or "donor|item"): its lines against pictured needs, and its stock."""
        pictured = {n.id for n in self.pictured()}
        out: dict[str, Figures] = defaultdict(lambda: dict.fromkeys(DONOR_FIGURES, 0))
        for ln in self.lines.values():
            key = f"{ln.donor}|{ln.item}" if by_item else ln.donor
            row = out[key]
            if ln.need is None:
                if ln.status != WITHDRAWN:
                    pledged, drawn = ln.quantity - ln.declined, self.drawn(ln.id)
                    row["pledged"] = _n(row["pledged"]) + pledged
                    row["drawn"] = _n(row["drawn"]) + drawn
                    row["available"] = _n(row["available"]) + pledged - drawn
                continue
            if ln.need not in pictured:
                continue
            if ln.status not in (WITHDRAWN, PROPOSED):
                row["offered"] = _n(row["offered"]) + ln.quantity - ln.declined
                row["declined"] = _n(row["declined"]) + ln.declined
            if ln.status == OPEN:
                row["awaiting"] = _n(row["awaiting"]) + ln.pending
            row["accepted"] = _n(row["accepted"]) + ln.accepted
            moves = [m for m in self.moves.values() if m.line == ln.id]
            row["dispatched"] = _n(row["dispatched"]) + sum(m.quantity for m in moves)
            row["delivered"] = _n(row["delivered"]) + sum(m.received or 0 for m in moves)
        return dict(out)

    # --- planners' inputs ----------------------------------------------------------------
    def open_needs(self) -> dict[int, int]:
        """The allocation input's needs: outstanding, less what drawn stock already
        reserves for the line (proposed or open drawn lines), when anything is left."""
        out = {}
        for need in self.needs.values():
            if self.rfas[need.rfa].status != "circulated":
                continue
            reserved = sum(
                ln.quantity - ln.accepted - ln.declined
                for ln in self.lines.values()
                if ln.need == need.id
                and ln.drawn_from is not None
                and ln.status in (PROPOSED, OPEN)
            )
            left = _n(self.need_figures(need)["outstanding"]) - reserved
            if left > 0:
                out[need.id] = left
        return out

    def stock_supplies(self) -> dict[int, int]:
        return {s.id: self.available(s) for s in self.standing() if self.available(s) > 0}

    def consignments(self) -> dict[int, int]:
        """Accepted, not yet dispatched, on lines whose request needs transport and whose
        donor does not bring its own (no sorties are planned in these stories)."""
        out = {}
        for ln in self.against_needs():
            assert ln.need is not None
            if ln.accepted and self.needs[ln.need].transport and not ln.own_transport:
                left = ln.accepted - self.dispatched(ln.id)
                if left > 0:
                    out[ln.id] = left
        return out


def _n(value: float | int | None) -> int:
    assert isinstance(value, int)
    return value


def add_up(rows: Iterable[Figures]) -> Figures:
    total: Figures = {}
    for row in rows:
        for name, value in row.items():
            total[name] = _n(total.get(name, 0)) + _n(value)
    return total


def with_coverage(figures: Figures) -> Figures:
    """Σ min(accepted, requested) / Σ requested (None when nothing is requested)."""
    out = dict(figures)
    covered, requested = _n(out.pop("covered")), _n(out["requested"])
    out["coverage"] = covered / requested if requested else None
    return out


def check_invariants(where: str, figures: Figures) -> None:
    """The binding invariants on one set of figures (a line or any sum of lines)."""

    def get(name: str) -> int:
        return _n(figures[name])

    for name, value in figures.items():
        assert value is None or value >= 0, f"{where}: {name} is {value}"
    assert get("requested") >= get("accepted") - get("over_accepted"), where
    assert get("accepted") >= get("dispatched") >= get("delivered"), where
    if "awaiting" in figures and "offered" in figures:
        assert get("offered") == get("awaiting") + get("accepted"), where
