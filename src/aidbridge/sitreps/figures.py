"""The figures a sitrep reports, as a language-neutral JSON document.

A draft computes them afresh each time it is shown; publication freezes them into
``Sitrep.snapshot`` so the published text never moves. Everything is keyed by party and
item codes, with both languages' names stored beside them, so a later rename in the
catalogue does not rewrite history either.

Only requests ever circulated count (drafts are private to their nation), in line with
the role table. Every quantity is the ledger's (``aidbridge.ledger``), defined as in the
README's glossary.

Which rows changed since the previous published sitrep is read from the audit trail: an
entry about a request, a line, an offer, an offer line, a dispatch or a receipt marks
every row that object contributes to.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from aidbridge.audit.models import AuditEntry
from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import accepted_flows, crisis_figures
from aidbridge.ledger.sums import pictured_rfas
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance, RequestLine

SNAPSHOT_VERSION = 2
RFA = RequestForAssistance


def _rows(queryset: Any) -> list[dict[str, Any]]:
    """Plain mutable dicts: the aggregation below annotates rows as it goes."""
    return [dict(row) for row in queryset]


def _ratio(part: int, whole: int) -> float:
    return round(min(part, whole) / whole, 4) if whole else 0.0


# The ledger's figures each snapshot row carries (version 2 added all but the first five
# and made "offered" exclude declined units; version 1 snapshots render as they were).
REQUEST_FIGURES = (
    "requested",
    "offered",
    "accepted",
    "dispatched",
    "delivered",
    "outstanding",
    "awaiting",
    "declined",
    "over_accepted",
    "in_transit",
    "short_on_arrival",
)
ASSISTANCE_FIGURES = (
    "offered",
    "accepted",
    "dispatched",
    "delivered",
    "awaiting",
    "declined",
    "in_transit",
    "short_on_arrival",
    "pledged",
    "drawn",
    "available",
)
UNCOUNTED = (OfferLine.Status.WITHDRAWN, OfferLine.Status.PROPOSED)


def compute_figures(
    crisis: Crisis, *, since: datetime | None, until: datetime | None = None
) -> dict[str, Any]:
    """Everything a sitrep of ``crisis`` shows, as of ``until`` (default: now).

    ``since`` is the previous publication: audit entries after it mark rows as changed.
    Every quantity is the ledger's (``aidbridge.ledger``), so the sitrep's requests rows
    are its nation x item figures and its assistance rows its donor x item figures, to
    the unit; ``until`` only bounds the movement counts and the day chart.
    A constant number of queries whatever the size of the crisis.
    """
    until = until or timezone.now()
    ledger = crisis_figures(crisis)
    code = {pk: p.code for pk, p in ledger.parties.items()}
    item_code = {pk: i.code for pk, i in ledger.items.items()}
    lines = _rows(
        RequestLine.objects.filter(rfa__in=pictured_rfas(crisis))
        .order_by("rfa__reference", "position")
        .values(
            "id",
            "rfa_id",
            "rfa__reference",
            "rfa__status",
            "rfa__requester__code",
            "item__code",
            "priority",
            "needed_by",
        )
    )
    line_by_id = {ln["id"]: ln for ln in lines}
    offer_lines = _rows(
        OfferLine.objects.filter(offer__crisis=crisis).values(
            "id",
            "status",
            "offer_id",
            "request_line_id",
            "offer__donor__code",
            "item__code",
        )
    )
    ol_by_id = {ol["id"]: ol for ol in offer_lines}
    dispatches = _rows(
        Dispatch.objects.filter(offer_line__offer__crisis=crisis, dispatched_at__lte=until).values(
            "id",
            "offer_line_id",
            "mode",
            "receipt__id",
            "receipt__received_at",
        )
    )

    # --- requests, per requesting nation and item: the ledger's cells ------------------
    requests: dict[tuple[str, str], dict[str, Any]] = {}
    for (nation_id, item_id), f in ledger.nation_items.items():
        key = (code[nation_id], item_code[item_id])
        requests[key] = {
            "nation": key[0],
            "item": key[1],
            **{name: getattr(f, name) for name in REQUEST_FIGURES},
            "coverage": f.coverage or 0.0,
            "open_requested": 0,
            "priority": 3,
            "needed_by": None,
            "rfas": [],
        }
    rfa_rows: dict[int, dict[str, Any]] = {}
    for ln in lines:
        key = (ln["rfa__requester__code"], ln["item__code"])
        row = requests[key]
        if ln["rfa__reference"] not in row["rfas"]:
            row["rfas"].append(ln["rfa__reference"])
        rfa_rows.setdefault(ln["rfa_id"], {"ref": ln["rfa__reference"], "items": set()})
        rfa_rows[ln["rfa_id"]]["items"].add(key)
        if ln["rfa__status"] == RFA.Status.CIRCULATED:
            row["open_requested"] += ledger.lines[ln["id"]].requested
            row["priority"] = min(row["priority"], ln["priority"])
            if ln["needed_by"] and (row["needed_by"] is None or ln["needed_by"] < row["needed_by"]):
                row["needed_by"] = ln["needed_by"]
    for row in requests.values():
        if row["needed_by"] is not None:
            row["needed_by"] = row["needed_by"].isoformat()

    # --- assistance, per donor and item: the ledger's cells ----------------------------
    assistance: dict[tuple[str, str], dict[str, Any]] = {}
    for (donor_id, item_id), given in ledger.donor_items.items():
        key = (code[donor_id], item_code[item_id])
        assistance[key] = {
            "donor": key[0],
            "item": key[1],
            "requested": 0,
            **{name: getattr(given, name) for name in ASSISTANCE_FIGURES},
            "standing": given.available,
            "to": [],
        }
    for ol in offer_lines:
        target = line_by_id.get(ol["request_line_id"]) if ol["request_line_id"] else None
        if target is None:
            continue  # standing stock, or against a request never circulated
        nation = target["rfa__requester__code"]
        ol["nation"] = nation  # kept for withdrawn lines too: their audit entries mark rows
        arow = assistance[(ol["offer__donor__code"], ol["item__code"])]
        if ol["status"] not in UNCOUNTED and nation not in arow["to"]:
            arow["to"].append(nation)
    flows = [
        {
            "donor": f["donor"],
            "nation": f["nation"],
            "tonnes": round(f["tonnes"], 3),
            "lines": f["lines"],
        }
        for f in accepted_flows(crisis)
    ]

    # --- movements (counts of dispatches, not quantities) -------------------------------
    transport: dict[tuple[str, str, str], dict[str, Any]] = {}
    per_day: dict[str, int] = defaultdict(int)
    for d in dispatches:
        found = ol_by_id.get(d["offer_line_id"])
        if found is None or "nation" not in found:
            continue
        received = d["receipt__id"] is not None and d["receipt__received_at"] <= until
        tkey = (found["offer__donor__code"], found["nation"], d["mode"])
        trow = transport.setdefault(
            tkey,
            {
                "donor": tkey[0],
                "nation": tkey[1],
                "mode": tkey[2],
                "dispatches": 0,
                "in_transit": 0,
                "received": 0,
            },
        )
        trow["dispatches"] += 1
        if received:
            trow["received"] += 1
            per_day[d["receipt__received_at"].date().isoformat()] += 1
        else:
            trow["in_transit"] += 1

    # --- per requesting nation (the coverage chart) ------------------------------------
    # Units differ from item to item (masks, ventilators, patients), so a nation's
    # coverage is the mean of its request lines' coverage, each line weighing the same.
    per_nation: dict[str, dict[str, Any]] = {}
    for ln in lines:
        f = ledger.lines[ln["id"]]
        n = per_nation.setdefault(
            ln["rfa__requester__code"],
            {"nation": ln["rfa__requester__code"], "lines": 0, "accepted": 0.0, "delivered": 0.0},
        )
        n["lines"] += 1
        n["accepted"] += _ratio(f.accepted, f.requested)
        n["delivered"] += _ratio(f.delivered, f.requested)
    by_nation = [
        {
            "nation": n["nation"],
            "lines": n["lines"],
            "accepted": round(n["accepted"] / n["lines"], 4),
            "delivered": round(n["delivered"] / n["lines"], 4),
        }
        for n in sorted(per_nation.values(), key=lambda n: n["nation"])
    ]

    changes = _changes(
        crisis,
        since,
        until,
        line_by_id,
        rfa_rows,
        ol_by_id,
        dispatches,
        {"offer_lines": offer_lines},
    )
    party_codes = {k[0] for k in requests} | {k[0] for k in assistance}
    item_codes = {k[1] for k in requests} | {k[1] for k in assistance}
    rfa_list = _rows(
        pictured_rfas(crisis)
        .order_by("reference")
        .values(
            "reference",
            "requester__code",
            "title",
            "status",
            "closure",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
    )
    escalated_by, repeats = _links(crisis)
    contacts: dict[str, dict[str, str]] = {}
    for r in rfa_list:
        if r["status"] == RFA.Status.CIRCULATED and r["contact_name"]:
            contacts.setdefault(
                f"{r['requester__code']}|{r['contact_name']}",
                {
                    "nation": r["requester__code"],
                    "name": r["contact_name"],
                    "email": r["contact_email"],
                    "phone": r["contact_phone"],
                },
            )
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": until.isoformat(),
        "since": since.isoformat() if since else None,
        "crisis": {"code": crisis.code, "en": crisis.name_en, "fr": crisis.name_fr},
        "parties": {
            p["code"]: {"en": p["name_en"], "fr": p["name_fr"], "nation": p["kind"] == "nation"}
            for p in Party.objects.filter(code__in=party_codes).values(
                "code", "name_en", "name_fr", "kind"
            )
        },
        "items": {
            i["code"]: {"en": i["name_en"], "fr": i["name_fr"], "unit": i["unit"]}
            for i in Item.objects.filter(code__in=item_codes).values(
                "code", "name_en", "name_fr", "unit"
            )
        },
        "rfas": [
            {
                "ref": r["reference"],
                "nation": r["requester__code"],
                "title": r["title"],
                "status": r["status"],
                "closure": r["closure"],
                "escalated_by": escalated_by.get(r["reference"], []),
                "repeats": repeats.get(r["reference"]),
            }
            for r in rfa_list
        ],
        "requests": sorted(requests.values(), key=lambda r: (r["nation"], r["item"])),
        "assistance": sorted(assistance.values(), key=lambda r: (r["donor"], r["item"])),
        "transport": sorted(transport.values(), key=lambda r: (r["donor"], r["nation"], r["mode"])),
        "by_nation": by_nation,
        "deliveries_by_day": [{"day": d, "count": c} for d, c in sorted(per_day.items())],
        "flows": flows,
        "contacts": sorted(contacts.values(), key=lambda c: (c["nation"], c["name"])),
        "changes": changes,
    }


def _links(crisis: Crisis) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Reference -> the requests merged into it as escalations (their needs are counted
    in its lines, once), and reference -> the pictured request it says it repeats."""
    escalated_by: dict[str, list[str]] = defaultdict(list)
    merged = (
        RFA.objects.filter(crisis=crisis, merged_into__in=pictured_rfas(crisis))
        .order_by("closed_at", "pk")
        .values_list("merged_into__reference", "reference")
    )
    for into, ref in merged:
        if into and ref:  # both given: on circulation and on escalation
            escalated_by[into].append(ref)
    repeats = {
        ref: earlier
        for ref, earlier in pictured_rfas(crisis)
        .filter(repeat_of__circulated_at__isnull=False)
        .values_list("reference", "repeat_of__reference")
        if ref and earlier
    }
    return dict(escalated_by), repeats


def _changes(
    crisis: Crisis,
    since: datetime | None,
    until: datetime,
    line_by_id: dict[int, dict[str, Any]],
    rfa_rows: dict[int, dict[str, Any]],
    ol_by_id: dict[int, dict[str, Any]],
    dispatches: list[dict[str, Any]],
    extra: dict[str, Any],
) -> dict[str, list[Any]]:
    """Rows touched by audit entries written after ``since`` (the previous publication)."""
    empty: dict[str, list[Any]] = {"requests": [], "assistance": [], "transport": [], "rfas": []}
    if since is None:
        return empty  # the first sitrep of a crisis has nothing to compare with
    ct = ContentType.objects.get_for_models(RFA, RequestLine, Offer, OfferLine, Dispatch, Receipt)
    entries = AuditEntry.objects.filter(
        Q(crisis=crisis) | Q(crisis__isnull=True),
        at__gt=since,
        at__lte=until,
        target_type__in=list(ct.values()),
    ).values_list("target_type_id", "target_id")
    touched: dict[type, set[int]] = defaultdict(set)
    model_of = {c.pk: m for m, c in ct.items()}
    for type_id, target_id in entries:
        touched[model_of[type_id]].add(target_id)

    requests: set[tuple[str, str]] = set()
    assistance: set[tuple[str, str]] = set()
    transport: set[tuple[str, str, str]] = set()
    rfas: set[str] = set()
    for rfa_id in touched[RFA]:
        if rfa_id in rfa_rows:
            rfas.add(rfa_rows[rfa_id]["ref"])
            requests.update(rfa_rows[rfa_id]["items"])
    for line_id in touched[RequestLine]:
        if line_id in line_by_id:
            ln = line_by_id[line_id]
            requests.add((ln["rfa__requester__code"], ln["item__code"]))

    def mark_offer_line(ol: dict[str, Any], mode: str | None = None) -> None:
        assistance.add((ol["offer__donor__code"], ol["item__code"]))
        if "nation" in ol:
            requests.add((ol["nation"], ol["item__code"]))
            if mode is not None:
                transport.add((ol["offer__donor__code"], ol["nation"], mode))

    for ol in extra["offer_lines"]:
        if ol["id"] in touched[OfferLine] or ol["offer_id"] in touched[Offer]:
            mark_offer_line(ol)
    for d in dispatches:
        if d["id"] in touched[Dispatch] or (d["receipt__id"] in touched[Receipt]):
            found = ol_by_id.get(d["offer_line_id"])
            if found is not None:
                mark_offer_line(found, d["mode"])
    return {
        "requests": sorted([list(k) for k in requests]),
        "assistance": sorted([list(k) for k in assistance]),
        "transport": sorted([list(k) for k in transport]),
        "rfas": sorted(rfas),
    }
