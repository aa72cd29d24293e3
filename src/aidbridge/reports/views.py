"""The consolidated matrix of a crisis: requesting nations by items, each cell coloured
by coverage (accepted / requested), with totals; and the same grid as CSV.

The figures are the ledger's nation x item cells; this page only lays them out in a
grid, so it always agrees with the API's picture, the exports and the sitreps. A cell
whose requests are all closed asks for nothing more: it is shown as closed, never as a
shortfall.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from aidbridge.accounts.permissions import profile_of
from aidbridge.crises.models import Crisis
from aidbridge.ledger.crisis import crisis_summary
from aidbridge.ledger.figures import Figures

COLUMNS = ("requested", "offered", "accepted", "dispatched", "delivered")


def coverage_class(figures: Figures | None) -> str:
    """A colour band for a cell; the number is always printed too (colour is not all)."""
    if figures is None or not figures.requested:
        return ""
    if figures.closed:
        return "cov-closed"
    ratio = figures.accepted / figures.requested
    if ratio > 1:
        return "cov-over"
    if ratio >= 1:
        return "cov-full"
    if ratio >= 0.5:
        return "cov-mid"
    return "cov-low" if ratio > 0 else "cov-none"


def build_matrix(crisis: Crisis) -> dict[str, Any]:
    ledger = crisis_summary(crisis)
    cells = ledger.nation_items
    nations = {party.pk: figures for party, figures in ledger.by_nation}
    items = {item.pk: figures for item, figures in ledger.by_item}
    parties = [party for party, _figures in ledger.by_nation]
    catalogue = [item for item, _figures in ledger.by_item]
    rows = [
        {
            "nation": party,
            "total": nations[party.pk],
            "cells": [
                (cells.get((party.pk, item.pk)), coverage_class(cells.get((party.pk, item.pk))))
                for item in catalogue
            ],
        }
        for party in parties
    ]
    return {
        "rows": rows,
        "items": [(item, items[item.pk]) for item in catalogue],
        "overall": ledger.overall,
        "cells": cells,
    }


@login_required
def matrix(request: HttpRequest, code: str) -> HttpResponse:
    profile_of(request.user)
    crisis = get_object_or_404(Crisis, code=code)
    context = {"crisis": crisis, "nav": "matrix", "legend": legend(), **build_matrix(crisis)}
    return render(request, "reports/matrix.html", context)


@login_required
def matrix_csv(request: HttpRequest, code: str) -> HttpResponse:
    """One row per (requesting nation, item) with every figure: for spreadsheets."""
    profile_of(request.user)
    crisis = get_object_or_404(Crisis, code=code)
    grid = build_matrix(crisis)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{crisis.code}-matrix.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["nation", "item_code", "item_name", *COLUMNS, "outstanding", "coverage", "closed"]
    )
    for row in grid["rows"]:
        for (item, _total), (figures, _band) in zip(grid["items"], row["cells"], strict=True):
            if figures is None:
                continue
            writer.writerow(
                [
                    row["nation"].code,
                    item.code,
                    item.name,
                    *(getattr(figures, c) for c in COLUMNS),
                    figures.outstanding,
                    "" if figures.coverage is None else f"{figures.coverage:.4f}",
                    "yes" if figures.closed else "",
                ]
            )
    return response


def legend() -> list[tuple[str, str]]:
    return [
        ("cov-none", _("nothing accepted")),
        ("cov-low", _("under half")),
        ("cov-mid", _("half or more")),
        ("cov-full", _("covered")),
        ("cov-over", _("accepted beyond the request")),
        ("cov-closed", _("request closed: nothing outstanding")),
    ]
