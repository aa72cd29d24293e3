"""Turning RFAs, lines and audit entries into the API's shapes.

Kept apart from the endpoints so the pages and the sitreps can reuse them, and so the
number of queries per answer is decided in one place (a list page: none beyond the
list's own; a detail: lines, repeats and line figures, one query each).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from aidbridge.ledger.sums import line_figures, total
from aidbridge.requests import actions, selectors
from aidbridge.requests.models import RequestForAssistance, RequestLine

RFA = RequestForAssistance


def _ref(rfa: RFA | None) -> dict[str, Any] | None:
    if rfa is None:
        return None
    return {"id": rfa.pk, "reference": rfa.reference, "status": rfa.status}


def rfa_row(rfa: RFA, lines: list[RequestLine] | None = None) -> dict[str, Any]:
    """A list row; ``lines`` (when already loaded) replaces the list's ``summary_lines``."""
    summary = selectors.line_summary(rfa, lines)
    return {
        "id": rfa.pk,
        "reference": rfa.reference,
        "crisis": rfa.crisis.code,
        "requester": rfa.requester.code,
        "title": rfa.title,
        "status": rfa.status,
        "closure": rfa.closure,
        "status_reason": rfa.status_reason,
        **summary,
        "repeat_of": _ref(rfa.repeat_of),
        "created_by": rfa.created_by.get_username(),
        "created_at": rfa.created_at,
        "updated_at": rfa.updated_at,
        "submitted_at": rfa.submitted_at,
        "circulated_at": rfa.circulated_at,
        "closed_at": rfa.closed_at,
    }


def line_row(line: RequestLine, figures: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": line.pk,
        "position": line.position,
        "item": line.item.code,
        "item_name_en": line.item.name_en,
        "item_name_fr": line.item.name_fr,
        "quantity": line.quantity,
        "unit": line.unit,
        "specification": line.specification,
        "priority": line.priority,
        "needed_by": line.needed_by,
        "delivery_airport": line.delivery_airport,
        "delivery_place": line.delivery_place,
        "delivery_lat": line.delivery_lat,
        "delivery_lon": line.delivery_lon,
        "transport_needed": line.transport_needed,
        "figures": figures,
    }


def origin_of(rfa: RFA) -> dict[str, Any] | None:
    """A request mirrored from a partner centre names its origin (``federation``: the
    reverse relation ``mirror``, read without importing the app above this one)."""
    mirror = getattr(rfa, "mirror", None)
    if mirror is None:
        return None
    return {
        "centre": mirror.partner.code,
        "centre_name": mirror.partner.name,
        "reference": mirror.origin_reference,
        "label": gettext("via %(centre)s, %(reference)s")
        % {"centre": mirror.partner.name, "reference": mirror.origin_reference},
    }


def rfa_detail(actor: Any, rfa: RFA) -> dict[str, Any]:
    lines = list(selectors.lines_of(rfa))
    figures = line_figures(lines)
    return {
        **rfa_row(rfa, lines),
        "situation": rfa.situation,
        "contact_name": rfa.contact_name,
        "contact_email": rfa.contact_email,
        "contact_phone": rfa.contact_phone,
        "entry_notes": rfa.entry_notes,
        "origin": origin_of(rfa),
        "repeated_by": [_ref(r) for r in selectors.repeats_of(actor, rfa)],
        "merged_into": _ref(rfa.merged_into),
        "escalated_by": [_ref(r) for r in selectors.escalations_of(rfa)],
        "actions": actions.available_actions(actor, rfa),
        "figures": total(figures.values()).as_dict(),
        "lines": [line_row(line, figures[line.pk].as_dict()) for line in lines],
    }
