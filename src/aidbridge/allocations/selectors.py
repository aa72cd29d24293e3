"""Reading allocation runs: the run, and its proposal need by need."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import profile_of, require_centre
from aidbridge.allocations.models import AllocationRun, ProposedLine
from aidbridge.allocations.wording import worded
from aidbridge.core.errors import NotFound
from aidbridge.requests.models import RequestLine


def runs_visible_to(actor: Any) -> QuerySet[AllocationRun]:
    """Runs are the centre's working material: only centre staff see them."""
    if not profile_of(actor).is_centre:
        return AllocationRun.objects.none()
    return AllocationRun.objects.all()


def get_run(actor: Any, run_id: int) -> AllocationRun:
    require_centre(actor, gettext_noop("see allocation runs"))
    run = runs_visible_to(actor).select_related("crisis", "requested_by").filter(pk=run_id).first()
    if run is None:
        raise NotFound(gettext("no allocation run %(run_id)s") % {"run_id": run_id}, field="id")
    return run


def proposal_by_need(run: AllocationRun) -> list[dict[str, Any]]:
    """Per need of the run's input, in input order: what it asked, who would give how
    much (with the proposed line ids to select), and why it got what it got."""
    if run.input is None:
        return []
    lines: dict[str, list[ProposedLine]] = defaultdict(list)
    for line in (
        ProposedLine.objects.filter(run=run)
        .select_related("supply__offer__donor", "supply__item", "offer_line__offer")
        .order_by("pk")
    ):
        lines[line.need_ref].append(line)
    explanations = (run.output or {}).get("explanations", {})
    parts = (run.output or {}).get("explanation_parts", {})
    rows = (run.rows or {}).get("needs", {})
    rfa_of = dict(RequestLine.objects.filter(pk__in=rows.values()).values_list("pk", "rfa_id"))
    out = []
    for need in run.input["needs"]:
        given = lines.get(need["id"], [])
        out.append(
            {
                "need": need["id"],
                "request_line": rows.get(need["id"]),
                "rfa": rfa_of.get(rows.get(need["id"], 0)),
                "party": need["party"],
                "item": need["item"],
                "quantity": need["quantity"],
                "priority": need["priority"],
                "needed_by": need.get("needed_by"),
                "proposed": sum(p.quantity for p in given),
                # Runs stored before the codes keep their English text.
                "explanation": worded(parts[need["id"]])
                if need["id"] in parts
                else explanations.get(need["id"], ""),
                "lines": given,
            }
        )
    return out
