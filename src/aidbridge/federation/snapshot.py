"""The origin's picture of one shared request, as it stands: what it sends partners.

State, not events: every change to a shared request raises its version (``Share``) and
queues a message, or joins the one still waiting untried (``shares.share_changed``);
the snapshot is read when the message is sent, so a partner that
was down for a while receives the latest state, and one that receives an older
version after a newer one ignores it (``apply``). Every row carries its global id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aidbridge.federation import ids
from aidbridge.federation.models import Share
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def build(rfa_pk: int) -> dict[str, Any]:
    """The snapshot of our request ``rfa_pk`` (version read first: see module doc)."""
    version = Share.objects.filter(rfa_id=rfa_pk).values_list("version", flat=True).first() or 0
    refused = Share.objects.filter(rfa_id=rfa_pk).values_list("refused", flat=True).first() or {}
    rfa = RequestForAssistance.objects.select_related("crisis", "requester").get(pk=rfa_pk)
    lines = list(RequestLine.objects.filter(rfa=rfa).select_related("item").order_by("position"))
    offers = list(Offer.objects.filter(rfa=rfa).select_related("donor").order_by("pk"))
    offer_lines = list(
        OfferLine.objects.filter(offer__in=offers).select_related("item").order_by("pk")
    )
    dispatches = list(
        Dispatch.objects.filter(offer_line__in=offer_lines).select_related("receipt").order_by("pk")
    )
    line_gid = ids.gids_of("line", [ln.pk for ln in lines])
    offer_gid = ids.gids_of("offer", [o.pk for o in offers])
    ol_gid = ids.gids_of("offer_line", [ln.pk for ln in offer_lines])
    d_gid = ids.gids_of("dispatch", [d.pk for d in dispatches])
    receipts = [d.receipt for d in dispatches if hasattr(d, "receipt")]
    r_gid = ids.gids_of("receipt", [r.pk for r in receipts])
    by_line: dict[int, list[dict[str, Any]]] = {}
    for d in dispatches:
        receipt = getattr(d, "receipt", None)
        by_line.setdefault(d.offer_line_id, []).append(
            {
                "gid": d_gid[d.pk],
                "quantity": d.quantity,
                "mode": d.mode,
                "dispatched_at": _iso(d.dispatched_at),
                "expected_at": _iso(d.expected_at),
                "transport_reference": d.transport_reference,
                "carrier": d.carrier,
                "note": d.note,
                "receipt": None
                if receipt is None
                else {
                    "gid": r_gid[receipt.pk],
                    "quantity": receipt.quantity,
                    "received_at": _iso(receipt.received_at),
                    "note": receipt.note,
                },
            }
        )
    lines_of: dict[int, list[dict[str, Any]]] = {}
    for ol in offer_lines:
        lines_of.setdefault(ol.offer_id, []).append(
            {
                "gid": ol_gid[ol.pk],
                "request_line": line_gid.get(ol.request_line_id or 0),
                "item": ol.item.code,
                "quantity": ol.quantity,
                "accepted": ol.accepted,
                "declined": ol.declined,
                "status": ol.status,
                "decline_reason": ol.decline_reason,
                "over_acceptance_reason": ol.over_acceptance_reason,
                "notes": ol.notes,
                "dispatches": by_line.get(ol.pk, []),
            }
        )
    return {
        "kind": "snapshot",
        "version": version,
        "refused": refused,
        "request": {
            "gid": ids.gid_of("rfa", rfa.pk),
            "reference": rfa.reference or "",
            "crisis": rfa.crisis.code,
            "requester": rfa.requester.code,
            "title": rfa.title,
            "situation": rfa.situation,
            "status": rfa.status,
            "closure": rfa.closure,
            "status_reason": rfa.status_reason,
            "entry_notes": rfa.entry_notes,
            "circulated_at": _iso(rfa.circulated_at),
            "closed_at": _iso(rfa.closed_at),
            "lines": [
                {
                    "gid": line_gid[ln.pk],
                    "position": ln.position,
                    "item": ln.item.code,
                    "quantity": ln.quantity,
                    "unit": ln.unit,
                    "specification": ln.specification,
                    "priority": ln.priority,
                    "needed_by": _iso(ln.needed_by),
                    "delivery_airport": ln.delivery_airport,
                    "delivery_place": ln.delivery_place,
                    "transport_needed": ln.transport_needed,
                }
                for ln in lines
            ],
            "offers": [
                {
                    "gid": offer_gid[o.pk],
                    "reference": o.reference,
                    "donor": o.donor.code,
                    "available_from": _iso(o.available_from),
                    "origin_airport": o.origin_airport,
                    "origin_place": o.origin_place,
                    "own_transport": o.own_transport,
                    "conditions": o.conditions,
                    "lines": lines_of.get(o.pk, []),
                }
                for o in offers
            ],
        },
    }
