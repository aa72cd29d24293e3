"""An independent feasibility checker for airlift plans (spec "A plan is feasible when").

It reads the plan in its published JSON form, so what is checked is exactly what a
user receives, and it shares no code with the solver beyond the parsed input: it
recomputes distances with its own haversine and times from the printed timestamps.
A bug in the planner's model or scheduler therefore shows up here instead of being
confirmed by the same mistake.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from .jsonio import plan_to_json
from .model import AirliftInput, AirliftPlan, Consignment, Violation

_RADIUS_KM = 6371.0088
_MINUTE_TOLERANCE = timedelta(seconds=60)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * _RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t


def check_airlift(inp: AirliftInput, plan: AirliftPlan | dict[str, Any]) -> list[Violation]:
    """Every broken rule of ``plan`` against ``inp``; an empty list means feasible."""
    if isinstance(plan, AirliftPlan):
        plan = plan_to_json(plan)
    return _Checker(inp).run(plan)


class _Checker:
    def __init__(self, inp: AirliftInput) -> None:
        self.inp = inp
        self.fleet = {a.id: a for a in inp.fleet}
        self.consignments: dict[str, Consignment] = {c.id: c for c in inp.consignments}
        self.out: list[Violation] = []

    def bad(self, rule: str, where: str, message: str) -> None:
        self.out.append(Violation(rule, where, message))

    def run(self, plan: dict[str, Any]) -> list[Violation]:
        sorties = plan.get("sorties")
        unassigned = plan.get("unassigned")
        if not isinstance(sorties, list) or not isinstance(unassigned, list):
            self.bad("structure", "plan", "needs lists 'sorties' and 'unassigned'")
            return self.out
        carried: dict[str, list[str]] = defaultdict(list)
        spans: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
        for i, sortie in enumerate(sorties):
            where = f"sorties[{i}]"
            if not isinstance(sortie, dict):
                self.bad("structure", where, "not an object")
                continue
            span = self.sortie(where, sortie, carried)
            if span:
                spans[str(sortie.get("aircraft"))].append((*span, where))
        for aircraft, items in spans.items():
            items.sort()
            for (_, end, w1), (start, _, w2) in itertools.pairwise(items):
                if start < end:
                    self.bad("overlap", w2, f"{aircraft} is still flying {w1} until {end:%H:%M}")
        self.accounting(carried, unassigned)
        return self.out

    def accounting(self, carried: dict[str, list[str]], unassigned: list[Any]) -> None:
        listed: dict[str, int] = defaultdict(int)
        for entry in unassigned:
            cid = entry.get("consignment") if isinstance(entry, dict) else None
            if not isinstance(cid, str):
                self.bad("structure", "unassigned", f"entry without a consignment: {entry!r}")
                continue
            listed[cid] += 1
            if not isinstance(entry.get("reason"), str) or not entry["reason"]:
                self.bad("reason", f"unassigned {cid}", "no reason given")
        known = set(self.consignments) | {r.consignment for r in self.inp.rejected}
        for cid, wheres in carried.items():
            if len(wheres) > 1:
                self.bad("once", cid, f"carried more than once: {', '.join(wheres)}")
            if cid in listed:
                self.bad("both", cid, "both carried and listed as unassigned")
        for cid in known:
            if cid not in carried and cid not in listed:
                self.bad("missing", cid, "neither carried nor listed as unassigned")
        for cid in listed:
            if cid not in known:
                self.bad("unknown", f"unassigned {cid}", "no such consignment in the input")

    def sortie(
        self, where: str, sortie: dict[str, Any], carried: dict[str, list[str]]
    ) -> tuple[datetime, datetime] | None:
        plane = self.fleet.get(sortie.get("aircraft"))  # type: ignore[arg-type]
        stops = sortie.get("stops")
        if plane is None:
            self.bad("aircraft", where, f"unknown aircraft {sortie.get('aircraft')!r}")
            return None
        if not isinstance(stops, list) or len(stops) < 2:
            self.bad("structure", where, "a sortie needs at least two stops")
            return None
        kind = self.inp.aircraft_types[plane.type]
        where = f"{where} ({plane.id})"
        for k, s in enumerate(stops):
            cargo_lists = (
                [s.get(key, []) for key in ("load", "unload")] if isinstance(s, dict) else []
            )
            if not isinstance(s, dict) or not all(
                isinstance(ids, list) and all(isinstance(i, str) for i in ids)
                for ids in cargo_lists
            ):
                self.bad(
                    "structure",
                    f"{where} stop {k}",
                    "a stop is an object whose load and unload are lists of consignment ids",
                )
                return None
        codes = [s.get("airport") for s in stops]
        if codes[0] != plane.base or codes[-1] != plane.base:
            self.bad("base", where, f"must start and end at base {plane.base}, not {codes}")
        for k, code in enumerate(codes):
            airport = self.inp.airports.get(code)
            if airport is None:
                self.bad("airport", f"{where} stop {k}", f"unknown airport {code!r}")
                return None
            if not airport.admits(kind.size):
                self.bad(
                    "size",
                    f"{where} stop {k}",
                    f"{code} admits {airport.max_aircraft} aircraft, {kind.code} is {kind.size}",
                )
        arrive = [_time(s.get("arrive")) for s in stops]
        depart = [_time(s.get("depart")) for s in stops]
        first, last = depart[0], arrive[-1]
        if first is None or last is None or any(t is None for t in arrive[1:] + depart[:-1]):
            self.bad(
                "structure",
                where,
                "every stop needs arrive (but the first) and depart "
                "(but the last) as ISO 8601 times",
            )
            return None
        if first < plane.available_from:
            self.bad("availability", where, f"departs {first} before available_from")
        if last > plane.available_until:
            self.bad("availability", where, f"lands {last} after available_until")
        ground = timedelta(minutes=self.inp.ground_minutes)
        for k in range(1, len(stops)):
            a, b = self.inp.airports[codes[k - 1]], self.inp.airports[codes[k]]
            km = _haversine_km(a.lat, a.lon, b.lat, b.lon)
            leg = f"{where} leg {a.code}-{b.code}"
            if km > kind.range_km + 1e-6:
                self.bad("range", leg, f"{km:.0f} km exceeds {kind.code} range {kind.range_km:g}")
            flight = timedelta(hours=km / kind.cruise_kmh)
            took_off, landed, leaves = depart[k - 1], arrive[k], depart[k]
            assert took_off is not None and landed is not None  # checked above
            if abs(landed - (took_off + flight)) > _MINUTE_TOLERANCE:
                self.bad("flight-time", leg, f"arrives {landed}, flight ends {took_off + flight}")
            if leaves is not None and k < len(stops) - 1 and leaves < landed + ground:
                self.bad("ground", f"{where} stop {k}", f"departs before {ground} on the ground")
        self.cargo(
            where,
            stops,
            codes,
            arrive,
            depart,
            (kind.payload_kg, kind.pallets, set(plane.capabilities)),
            carried,
        )
        return first, last

    def cargo(
        self,
        where: str,
        stops: list[Any],
        codes: list[Any],
        arrive: list[datetime | None],
        depart: list[datetime | None],
        room: tuple[float, int, set[str]],
        carried: dict[str, list[str]],
    ) -> None:
        payload_kg, pallets, fitted = room
        aboard: set[str] = set()
        done: set[str] = set()
        for k, stop in enumerate(stops):
            here = f"{where} stop {k} ({codes[k]})"
            for cid in stop.get("unload") or []:
                c = self.consignments.get(cid)
                if cid not in aboard:
                    self.bad("unload", here, f"unloads {cid}, which is not aboard")
                    continue
                aboard.discard(cid)
                done.add(cid)
                if c and c.destination != codes[k]:
                    self.bad("destination", here, f"{cid} unloaded away from {c.destination}")
                if c and arrive[k] is not None and arrive[k] > c.due_by:  # type: ignore[operator]
                    self.bad("due", here, f"{cid} arrives {arrive[k]} after due_by {c.due_by}")
            for cid in stop.get("load") or []:
                c = self.consignments.get(cid)
                carried[cid].append(where)
                if c is None:
                    self.bad("unknown", here, f"loads {cid}, not a plannable consignment")
                    continue
                if cid in aboard or cid in done:
                    self.bad("once", here, f"loads {cid} a second time")
                aboard.add(cid)
                lacking = set(c.requires) - fitted
                if lacking:
                    self.bad(
                        "capability",
                        here,
                        f"{cid} requires {', '.join(sorted(lacking))}, which the aircraft lacks",
                    )
                if c.origin != codes[k]:
                    self.bad("origin", here, f"{cid} loaded away from {c.origin}")
                if depart[k] is None or depart[k] < c.ready_at:  # type: ignore[operator]
                    self.bad(
                        "ready", here, f"{cid} leaves {depart[k]} before ready_at {c.ready_at}"
                    )
            weight = sum(self.consignments[c].weight_kg for c in aboard if c in self.consignments)
            count = sum(self.consignments[c].pallets for c in aboard if c in self.consignments)
            if weight > payload_kg + 1e-6:
                self.bad("payload", here, f"{weight:g} kg aboard exceeds {payload_kg:g} kg")
            if count > pallets:
                self.bad("pallets", here, f"{count} pallets aboard exceed {pallets}")
        for cid in sorted(aboard):
            self.bad("unload", where, f"{cid} is never unloaded (no transshipment)")
