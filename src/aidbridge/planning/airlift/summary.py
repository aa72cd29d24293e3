"""A plan as a person reads it: a flight schedule per aircraft and the totals."""

from __future__ import annotations

from datetime import datetime

from .legs import Legs
from .model import AirliftInput, AirliftPlan


def _t(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M") if t else ""


def _kg(kg: float) -> str:
    return f"{kg / 1000:,.1f} t"


def format_summary(inp: AirliftInput, plan: AirliftPlan) -> str:
    legs = Legs(inp)
    planes = {a.id: a for a in inp.fleet}
    lines: list[str] = []
    for sortie in plan.sorties:
        plane = planes[sortie.aircraft]
        kind = inp.aircraft_types[plane.type]
        pairs = list(zip(sortie.stops, sortie.stops[1:], strict=False))
        hours = sum(legs.hours(kind, a.airport, b.airport) for a, b in pairs)
        cost = sum(legs.cost(kind, a.airport, b.airport) for a, b in pairs)
        lines.append(
            f"{plane.id} ({plane.type}, base {plane.base}): {len(sortie.stops)} stops, "
            f"{hours:.1f} flight hours, cost {cost:,.0f}"
        )
        lines.append(f"  {'airport':<8} {'arrive':<16}  {'depart':<16}  {'on board':>9}  cargo")
        aboard = 0.0
        weight = {c.id: c.weight_kg for c in inp.consignments}
        for stop in sortie.stops:
            aboard += sum(weight[c] for c in stop.load) - sum(weight[c] for c in stop.unload)
            cargo = " ".join([f"+{c}" for c in stop.load] + [f"-{c}" for c in stop.unload])
            lines.append(
                f"  {stop.airport:<8} {_t(stop.arrive):<16}  {_t(stop.depart):<16}  "
                f"{_kg(aboard):>9}  {cargo}"
            )
        lines.append("")
    s = plan.stats
    lines.append("priority  delivered   requested   deliverable (upper bound)")
    for p in ("1", "2", "3"):
        lines.append(
            f"P{p}        {_kg(s['delivered_kg'][p]):>9}   {_kg(s['requested_kg'][p]):>9}   "
            f"{_kg(s['deliverable_kg_upper_bound'][p]):>9}"
        )
    lines.append(
        f"{s['sorties']} sorties, {s['flight_hours']:.1f} flight hours, cost {s['cost']:,.0f}, "
        f"solved in {s['solve_time_s']:.1f} s"
    )
    if plan.unassigned:
        lines.append(f"\nunassigned ({len(plan.unassigned)}):")
        lines += [f"  {u.consignment}: {u.reason}" for u in plan.unassigned]
    if s.get("violations"):
        lines.append("\nCHECKER FOUND VIOLATIONS:")
        lines += [f"  {v}" for v in s["violations"]]
    return "\n".join(lines)
