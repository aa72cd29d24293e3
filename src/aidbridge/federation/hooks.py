"""What a change sends to partner centres, decided from its audit entry (the audit
``recorded`` signal, inside the change's transaction; see ``webhooks.events``).

- At the **origin**, any entry about a circulated request of a crisis shared with a
  partner (the request, its lines, offers, offer lines, dispatches, receipts) raises
  the request's version and queues a snapshot to every partner it is shared with.
- At the **partner**, a nation's action on a **mirror** is forwarded to the origin as
  a command (an offer, a withdrawal, a dispatch); the actions the origin alone takes
  (the requester's decisions and receipts, the centre's) are refused here.

Entries the federation writes itself (``federation.*``) send nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext

from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import NotAllowed
from aidbridge.federation import commands
from aidbridge.federation.models import Mirror, Partner
from aidbridge.federation.shares import queued_in_transaction, share_changed
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine

FORWARDED = {"offer.create", "offer_line.withdraw", "dispatch.create"}
# On a mirror these belong to the origin centre (its requester, its duty officers).
ORIGIN_ONLY = ("offer_line.accept", "offer_line.decline", "receipt.confirm", "rfa.", "rfa_line.")


# How to reach the request from each audited model other than the request itself.
PATHS: dict[type[Model], str] = {
    RequestLine: "rfa_id",
    Offer: "rfa_id",
    OfferLine: "offer__rfa_id",
    Dispatch: "offer_line__offer__rfa_id",
    Receipt: "dispatch__offer_line__offer__rfa_id",
}


def rfa_of(model: type[Model], pk: int, target: Any = None, *, query: bool = True) -> int | None:
    """The request an audited row belongs to (None: not part of a request, or, with
    ``query`` False, not known without a query).

    ``target``, the audited object when the signal carries it, saves the query for
    the rows that hold their request's id (a line, an offer, an offer line whose
    offer is loaded): the hook runs on every change, in its transaction."""
    if model is RequestForAssistance:
        return pk
    path = PATHS.get(model)
    if path is None:
        return None
    if isinstance(target, model) and target.pk == pk:
        if path == "rfa_id":
            rfa_id = target.rfa_id  # type: ignore[attr-defined]
            return int(rfa_id) if rfa_id is not None else None  # None: a standing offer
        if isinstance(target, OfferLine) and OfferLine.offer.is_cached(target):
            return target.offer.rfa_id
    if not query:
        return None
    value = model._default_manager.filter(pk=pk).values_list(path, flat=True).first()
    return int(value) if value is not None else None


def on_recorded(sender: Any, entries: list[AuditEntry], target: Any = None, **kwargs: Any) -> None:
    about = []
    for entry in entries:
        if entry.action.startswith("federation."):
            continue
        model = entry.target_type.model_class()
        if model is not None and (model is RequestForAssistance or model in PATHS):
            about.append((entry, model))
    if not about:  # most entries: no query at all
        return
    one = target if len(entries) == 1 else None
    partners: bool | None = None
    rows: dict[int, Any] = {}
    for entry, model in about:
        rfa_pk = rfa_of(model, entry.target_id, one, query=False)
        if rfa_pk is not None and queued_in_transaction(rfa_pk):
            continue  # the offer's lines after the offer: no query at all
        if partners is None:
            partners = Partner.objects.filter(active=True).exists()
        if not partners:  # a centre without partners
            return
        if rfa_pk is None:
            rfa_pk = rfa_of(model, entry.target_id)
            if rfa_pk is None or queued_in_transaction(rfa_pk):
                continue
        if rfa_pk not in rows:
            # Its crisis, whether it is circulated, whether it is a mirror: one query.
            rows[rfa_pk] = (
                RequestForAssistance.objects.filter(pk=rfa_pk)
                .values("crisis_id", "circulated_at", "mirror__id")
                .first()
            )
        row = rows[rfa_pk]
        if row is None:
            continue
        if row["mirror__id"] is not None:
            mirror = Mirror.objects.select_related("partner").get(pk=row["mirror__id"])
            _at_partner(entry, mirror)
        else:
            share_changed(rfa_pk, crisis_id=row["crisis_id"], circulated=row["circulated_at"])


def _at_partner(entry: AuditEntry, mirror: Mirror) -> None:
    if entry.actor_id is None:
        return
    if entry.action.startswith(ORIGIN_ONLY):
        raise NotAllowed(
            gettext("%(rfa)s is decided at its origin centre (%(centre)s)")
            % {"rfa": mirror.origin_reference, "centre": mirror.partner.name}
        )
    if entry.action in FORWARDED:
        commands.forward(entry, mirror)
