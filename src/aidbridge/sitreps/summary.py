"""The body of a sitrep: per-nation summaries of the per-line figures.

A capital reads a sitrep in a few minutes, so the body gives one row per requesting
nation, one per assisting nation and one per transport mode, plus the most pressing
outstanding needs; every per-line row goes to the annex (a separate document rendered
from the same frozen snapshot). A summary row is in bold when any row it sums changed
since the previous sitrep, so the bold in the body and in the annex tell the same story.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# How many outstanding needs the body lists before "and N more — see the annex".
OUTSTANDING_IN_BODY = 15
# How many of a donor's items are named in the body before "+N".
ITEMS_NAMED = 3


def by_requesting_nation(
    requests: list[dict[str, Any]],
    rfas: list[dict[str, Any]],
    by_nation: list[dict[str, Any]],
    percent: Callable[[float], str],
) -> list[dict[str, Any]]:
    """One row per requesting nation: its RFAs, lines, coverage and outstanding needs."""
    rows: dict[str, dict[str, Any]] = {}

    def row(code: str, name: str) -> dict[str, Any]:
        return rows.setdefault(
            code,
            {
                "nation": code,
                "nation_name": name,
                "open": 0,
                "closed": 0,
                "items": 0,
                "outstanding": 0,
                "accepted_text": "—",
                "delivered_text": "—",
                "bold": False,
            },
        )

    for r in rfas:
        n = row(r["nation"], r["nation_name"])
        n["open" if r["status"] == "circulated" else "closed"] += 1
        n["bold"] = n["bold"] or r["bold"]
    for r in requests:
        n = row(r["nation"], r["nation_name"])
        n["items"] += 1
        n["outstanding"] += r["outstanding"] > 0
        n["bold"] = n["bold"] or r["bold"]
    for c in by_nation:
        if c["nation"] in rows:
            rows[c["nation"]]["accepted_text"] = percent(c["accepted"])
            rows[c["nation"]]["delivered_text"] = percent(c["delivered"])
    return sorted(rows.values(), key=lambda n: n["nation_name"])


def by_assisting_nation(
    assistance: list[dict[str, Any]],
    transport: list[dict[str, Any]],
    flows: list[dict[str, Any]],
    party: Callable[[str], str],
    number: Callable[[float], str],
    more: str,
) -> list[dict[str, Any]]:
    """One row per assisting nation: what it gives, to whom, the tonnage accepted and
    its shipments (quantities of different items cannot be added up; tonnes can)."""
    rows: dict[str, dict[str, Any]] = {}
    for a in assistance:
        d = rows.setdefault(
            a["donor"],
            {
                "donor": a["donor"],
                "donor_name": a["donor_name"],
                "items": [],
                "to": set(),
                "standing": 0,
                "tonnes": 0.0,
                "dispatches": 0,
                "in_transit": 0,
                "received": 0,
                "bold": False,
            },
        )
        d["items"].append(a["item_name"])
        d["to"].update(a["to"])
        d["standing"] += a["standing"] > 0
        d["bold"] = d["bold"] or a["bold"]
    for f in flows:
        if f["donor"] in rows:
            rows[f["donor"]]["tonnes"] += f["tonnes"]
    for t in transport:
        if t["donor"] in rows:
            d = rows[t["donor"]]
            for k in ("dispatches", "in_transit", "received"):
                d[k] += t[k]
            d["bold"] = d["bold"] or t["bold"]
    for d in rows.values():
        names = d["items"]
        shown = ", ".join(names[:ITEMS_NAMED])
        d["items_text"] = shown + (
            f" {more.format(n=len(names) - ITEMS_NAMED)}" if len(names) > ITEMS_NAMED else ""
        )
        to = sorted(party(c) for c in d["to"])
        d["to_text"] = (
            ", ".join(to[:ITEMS_NAMED])
            + (f" {more.format(n=len(to) - ITEMS_NAMED)}" if len(to) > ITEMS_NAMED else "")
            or "—"
        )
        d["tonnes_text"] = number(round(d["tonnes"], 1))
    return sorted(rows.values(), key=lambda d: d["donor_name"])


def by_mode(transport: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per transport mode: routes (donor to requesting nation) and shipments."""
    rows: dict[str, dict[str, Any]] = {}
    for t in transport:
        m = rows.setdefault(
            t["mode"],
            {
                "mode": t["mode"],
                "mode_name": t["mode_name"],
                "routes": 0,
                "dispatches": 0,
                "in_transit": 0,
                "received": 0,
                "bold": False,
            },
        )
        m["routes"] += 1
        for k in ("dispatches", "in_transit", "received"):
            m[k] += t[k]
        m["bold"] = m["bold"] or t["bold"]
    return sorted(rows.values(), key=lambda m: m["mode_name"])
