"""Importing needs (lines of a new draft RFA) and offers from a file.

Objects are created through the request and offer services, so the same rules,
audit entries and notifications apply as through the API. The whole file is one
transaction: it all goes in, or nothing does. A dry run does the same work and rolls it
back, so it also reports what the services would refuse.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from aidbridge.core.errors import DomainError
from aidbridge.crises.models import Crisis
from aidbridge.interop.errors import ImportRejected, Problem
from aidbridge.interop.items import ItemResolver
from aidbridge.interop.readers import read_table
from aidbridge.interop.validation import NeedLine, OfferRow, validate_needs, validate_offer_rows
from aidbridge.offers.services import make_offer, make_unsolicited_offer
from aidbridge.requests.lines import MAX_LINES
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.services import create_rfa

PREVIEW_LINES = 1000
_LINE_FIELD = re.compile(r"^lines\.(\d+)(?:\.(\w+))?$")


@dataclass
class ImportReport:
    kind: str  # "needs" or "offers"
    dry_run: bool
    format: str = ""
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # item code -> quantity
    lines: list[dict[str, Any]] = field(default_factory=list)  # the first lines, a preview

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "format": self.format,
            "rows": self.rows,
            "problems": [p.as_dict() for p in self.problems],
            "created": self.created,
            "totals": self.totals,
            "lines": self.lines,
            "lines_shown": len(self.lines),
        }


def _service_problem(exc: DomainError, rows: list[int]) -> Problem:
    """Pin a service's refusal (``lines.3.quantity``) to the file's row and column."""
    match = _LINE_FIELD.match(exc.field or "")
    if match and int(match.group(1)) < len(rows):
        return Problem(exc.message, rows[int(match.group(1))], match.group(2))
    return Problem(exc.message, None, exc.field if exc.field not in {None, "file"} else None)


def _run(report: ImportReport, work: Callable[[], None]) -> ImportReport:
    """Run ``work`` in one transaction; roll it back on a dry run or on any refusal."""
    try:
        with transaction.atomic():
            work()
            if report.dry_run:
                transaction.set_rollback(True)
    except _Refused as refused:
        report.problems.extend(refused.problems)
        report.created = []
    if report.problems and not report.dry_run:
        raise ImportRejected(report.problems)
    return report


class _Refused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


def import_needs(
    actor: Any,
    *,
    crisis: Crisis,
    data: bytes,
    filename: str,
    title: str = "",
    situation: str = "",
    fmt: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Create draft RFAs of ``crisis`` from the rows of the file: one per value of the
    ``request`` column, titled with it; rows without one go into an RFA titled ``title``."""
    table = read_table(data, filename, fmt)
    report = ImportReport("needs", dry_run, table.format, len(table.rows))
    lines, report.problems = validate_needs(table, ItemResolver.from_catalogue())
    groups: dict[str, list[NeedLine]] = defaultdict(list)
    for line in lines:
        groups[line.request or title.strip()].append(line)
    for name, group in groups.items():
        if not name:
            report.problems.append(
                Problem(gettext("give a title for the request, or a request column"), group[0].row)
            )
        elif len(group) > MAX_LINES:
            report.problems.append(
                Problem(
                    gettext(
                        "request %(name)s would have %(value)s lines; an RFA holds at most "
                        "%(MAX_LINES)s: split the rows with the request column"
                    )
                    % {"name": repr(name), "value": len(group), "MAX_LINES": MAX_LINES},
                    group[MAX_LINES].row,
                    "request",
                )
            )
    if report.problems:
        if dry_run:
            return report
        raise ImportRejected(report.problems)
    report.totals = _totals((ln.item.code, ln.quantity) for ln in lines)
    report.lines = [_need_preview(ln) for ln in lines[:PREVIEW_LINES]]

    def work() -> None:
        for name, group in groups.items():
            try:
                rfa = create_rfa(
                    actor,
                    crisis=crisis,
                    title=name,
                    situation=situation,
                    lines=[_need_spec(ln) for ln in group],
                )
            except DomainError as exc:
                raise _Refused([_service_problem(exc, [ln.row for ln in group])]) from None
            report.created.append(
                {"rfa": None if dry_run else rfa.pk, "title": rfa.title, "lines": len(group)}
            )

    return _run(report, work)


def _need_spec(line: NeedLine) -> dict[str, Any]:
    # An airport brings its own coordinates (an exported file carries both).
    coordinates = not line.delivery_airport
    return {
        "item": line.item.code,
        "quantity": line.quantity,
        "unit": line.unit,
        "specification": line.specification,
        "priority": line.priority,
        "needed_by": line.needed_by,
        "delivery_airport": line.delivery_airport,
        "delivery_place": line.delivery_place,
        "delivery_lat": line.delivery_lat if coordinates else None,
        "delivery_lon": line.delivery_lon if coordinates else None,
        "transport_needed": line.transport_needed,
    }


def _need_preview(line: NeedLine) -> dict[str, Any]:
    spec = _need_spec(line)
    needed_by: date | None = spec["needed_by"]
    return {
        "row": line.row,
        "request": line.request,
        **spec,
        "needed_by": needed_by.isoformat() if needed_by else None,
    }


def _totals(pairs: Any) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for code, quantity in pairs:
        totals[code] += quantity
    return dict(sorted(totals.items()))


def import_offers(
    actor: Any,
    *,
    crisis: Crisis,
    data: bytes,
    filename: str,
    fmt: str | None = None,
    dry_run: bool = False,
    **offer_fields: Any,
) -> ImportReport:
    """One offer per RFA named in the file, plus one unsolicited offer for rows naming none.

    ``offer_fields`` (available_from, origin_airport, own_transport, conditions...) apply
    to every offer made.
    """
    table = read_table(data, filename, fmt)
    report = ImportReport("offers", dry_run, table.format, len(table.rows))
    rows, report.problems = validate_offer_rows(table, ItemResolver.from_catalogue())
    groups: dict[str, list[tuple[OfferRow, RequestLine | None]]] = defaultdict(list)
    if not report.problems:
        report.problems = _match_request_lines(crisis, rows, groups)
    if report.problems:
        if dry_run:
            return report
        raise ImportRejected(report.problems)
    report.totals = _totals((r.item.code, r.quantity) for r in rows)
    report.lines = [
        {"row": r.row, "rfa": r.rfa, "line": r.line, "item": r.item.code, "quantity": r.quantity}
        for r in rows[:PREVIEW_LINES]
    ]
    rfas = {
        rfa.reference: rfa
        for rfa in RequestForAssistance.objects.filter(crisis=crisis, reference__in=list(groups))
    }

    def work() -> None:
        for reference, group in groups.items():
            file_rows = [r.row for r, _ in group]
            try:
                if reference:
                    specs: list[dict[str, Any]] = [
                        {"request_line": need.pk, "quantity": r.quantity, "notes": r.notes}
                        for r, need in group
                        if need is not None
                    ]
                    offer = make_offer(actor, rfa=rfas[reference], lines=specs, **offer_fields)
                else:
                    specs = [
                        {"item": r.item.code, "quantity": r.quantity, "notes": r.notes}
                        for r, _ in group
                    ]
                    offer = make_unsolicited_offer(
                        actor, crisis=crisis, lines=specs, **offer_fields
                    )
            except DomainError as exc:
                raise _Refused([_service_problem(exc, file_rows)]) from None
            report.created.append(
                {
                    "offer": None if dry_run else offer.reference,
                    "rfa": reference or None,
                    "lines": len(group),
                }
            )

    return _run(report, work)


def _match_request_lines(
    crisis: Crisis,
    rows: list[OfferRow],
    groups: dict[str, list[tuple[OfferRow, RequestLine | None]]],
) -> list[Problem]:
    """Find the request line each row offers against (by line number, else by item)."""
    references = {r.rfa for r in rows if r.rfa}
    lines_of: dict[str, list[RequestLine]] = defaultdict(list)
    for line in RequestLine.objects.filter(
        rfa__crisis=crisis, rfa__reference__in=references
    ).select_related("rfa", "item"):
        assert line.rfa.reference is not None
        lines_of[line.rfa.reference].append(line)
    problems: list[Problem] = []
    used: dict[int, int] = {}
    for row in rows:
        if not row.rfa:
            groups[""].append((row, None))
            continue
        candidates = lines_of.get(row.rfa)
        if candidates is None:
            problems.append(
                Problem(
                    gettext("no circulated RFA %(rfa)s in %(code)s")
                    % {"rfa": row.rfa, "code": crisis.code},
                    row.row,
                    "rfa",
                )
            )
            continue
        if row.line is not None:
            found = [ln for ln in candidates if ln.position == row.line]
            if not found:
                problems.append(
                    Problem(
                        gettext("%(rfa)s has no line %(line)s")
                        % {"rfa": row.rfa, "line": row.line},
                        row.row,
                        "line",
                    )
                )
                continue
            if found[0].item_id != row.item.pk:
                problems.append(
                    Problem(
                        gettext("line %(line)s of %(rfa)s asks for %(code)s, not %(code2)s")
                        % {
                            "line": row.line,
                            "rfa": row.rfa,
                            "code": found[0].item.code,
                            "code2": row.item.code,
                        },
                        row.row,
                        "item",
                    )
                )
                continue
        else:
            found = [ln for ln in candidates if ln.item_id == row.item.pk]
            if len(found) != 1:
                why = "no line" if not found else f"{len(found)} lines"
                problems.append(
                    Problem(
                        gettext("%(rfa)s has %(why)s for %(code)s; give the line number")
                        % {"rfa": row.rfa, "why": why, "code": row.item.code},
                        row.row,
                        "line" if found else "item",
                    )
                )
                continue
        need = found[0]
        if need.pk in used:
            problems.append(
                Problem(
                    gettext("line %(position)s of %(rfa)s is already offered in row %(value)s")
                    % {"position": need.position, "rfa": row.rfa, "value": used[need.pk]},
                    row.row,
                    "line",
                )
            )
            continue
        used[need.pk] = row.row
        groups[row.rfa].append((row, need))
    return problems
