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
from aidbridge.federation.shares import share_changed
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine

FORWARDED = {"offer.create", "offer_line.withdraw", "dispatch.create"}
# On a mirror these belong to the origin centre (its requester, its duty officers).
ORIGIN_ONLY = ("offer_line.accept", "offer_line.decline", "receipt.confirm", "rfa.", "rfa_line.")


def rfa_of(model: type[Model], pk: int) -> int | None:
    """The request an audited row belongs to (None: not part of a request)."""
    if model is RequestForAssistance:
        return pk
    paths: dict[type[Model], str] = {
        RequestLine: "rfa_id",
        Offer: "rfa_id",
        OfferLine: "offer__rfa_id",
        Dispatch: "offer_line__offer__rfa_id",
        Receipt: "dispatch__offer_line__offer__rfa_id",
    }
    path = paths.get(model)
    if path is None:
        return None
    value = model._default_manager.filter(pk=pk).values_list(path, flat=True).first()
    return int(value) if value is not None else None


def on_recorded(sender: Any, entries: list[AuditEntry], target: Any = None, **kwargs: Any) -> None:
    if not Partner.objects.filter(active=True).exists():  # a centre without partners
        return
    done: set[int] = set()
    for entry in entries:
        if entry.action.startswith("federation."):
            continue
        model = entry.target_type.model_class()
        rfa_pk = rfa_of(model, entry.target_id) if model is not None else None
        if rfa_pk is None:
            continue
        mirror = Mirror.objects.select_related("partner").filter(rfa_id=rfa_pk).first()
        if mirror is not None:
            _at_partner(entry, mirror)
        elif rfa_pk not in done:
            done.add(rfa_pk)
            share_changed(rfa_pk)


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
