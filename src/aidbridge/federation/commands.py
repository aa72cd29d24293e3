"""A nation's action on a mirror, carried to the origin centre and applied there.

At the partner (``forward``): the action has been made locally by the ordinary
service (the nation sees its offer at once); its command goes to the origin through
the outbox in the same transaction, keyed by the origin request (in order with the
other messages about it). At the origin (``apply``): the command is replayed through
the ordinary service, under its ordinary locks, as a proxy user of the sending centre
(``deu-poc@ercc``, of the same nation), and the rows it makes are linked to the
partner's global ids; the snapshot that follows tells the partner. A command the
origin refuses (the request closed meanwhile, nothing left to dispatch) is noted on
the request's share, and the partner withdraws what it made locally.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from aidbridge.accounts.models import Profile, Role
from aidbridge.audit.models import AuditEntry
from aidbridge.audit.services import record
from aidbridge.core.errors import DomainError, ValidationFailed
from aidbridge.federation import ids
from aidbridge.federation.messages import COMMAND, dumps
from aidbridge.federation.models import Mirror, Partner, Share
from aidbridge.federation.shares import share_changed
from aidbridge.logistics import services as logistics
from aidbridge.logistics.models import Dispatch
from aidbridge.offers import services as offers
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance


def forward(entry: AuditEntry, mirror: Mirror) -> None:
    """Queue the command for a forwarded action (``hooks.FORWARDED``)."""
    from aidbridge.outbox.services import enqueue

    actor = entry.actor
    assert actor is not None
    body: dict[str, Any] = {
        "kind": COMMAND,
        "request": mirror.origin_gid,
        "actor": actor.get_username(),
        "party": actor.profile.party.code,
    }
    if entry.action == "offer.create":
        offer = Offer.objects.select_related("donor").get(pk=entry.target_id)
        lines = list(OfferLine.objects.filter(offer=offer).order_by("pk"))
        line_gids = ids.gids_of("line", [ln.request_line_id or 0 for ln in lines])
        body |= {
            "command": "offer",
            "offer": ids.gid_of("offer", offer.pk),
            "available_from": offer.available_from.isoformat() if offer.available_from else None,
            "origin_airport": offer.origin_airport,
            "origin_place": offer.origin_place,
            "own_transport": offer.own_transport,
            "conditions": offer.conditions,
            "lines": [
                {
                    "gid": ids.gid_of("offer_line", ln.pk),
                    "request_line": line_gids[ln.request_line_id or 0],
                    "quantity": ln.quantity,
                    "notes": ln.notes,
                }
                for ln in lines
            ],
        }
    elif entry.action == "offer_line.withdraw":
        body |= {
            "command": "withdraw",
            "offer_line": ids.gid_of("offer_line", entry.target_id),
            "reason": entry.reason,
        }
    else:  # dispatch.create
        d = Dispatch.objects.get(pk=entry.target_id)
        body |= {
            "command": "dispatch",
            "dispatch": ids.gid_of("dispatch", d.pk),
            "offer_line": ids.gid_of("offer_line", d.offer_line_id),
            "quantity": d.quantity,
            "mode": d.mode,
            "dispatched_at": d.dispatched_at.isoformat(),
            "expected_at": d.expected_at.isoformat() if d.expected_at else None,
            "transport_reference": d.transport_reference,
            "carrier": d.carrier,
            "note": d.note,
        }
    enqueue(
        mirror.partner.destination,
        mirror.origin_gid,
        dumps(body),
        event_type=f"federation.{body['command']}",
    )


def proxy_user(partner: Partner, username: str, party_code: str) -> Any:
    """The origin's stand-in for a partner's user: same nation, no password."""
    party = Party.objects.filter(code=party_code).first()
    if party is None:
        raise ValidationFailed(f"unknown party {party_code!r}", field="party")
    name = f"{username[:100]}@{partner.code.lower()}"
    user, created = get_user_model().objects.get_or_create(username=name)
    if created:
        user.set_unusable_password()
        user.save()
        Profile.objects.create(user=user, party=party, role=Role.NATIONAL_POC)
    return user


def _local(kind: str, gid: str, model: type) -> Any:
    pk = ids.resolve(kind, gid)
    row = model._default_manager.filter(pk=pk).first() if pk is not None else None  # type: ignore[attr-defined]
    if row is None:
        raise ValidationFailed(f"unknown {kind} {gid!r}", field=kind)
    return row


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def apply(partner: Partner, body: dict[str, Any]) -> str:
    """Apply a partner's command to our request; the outcome, for the log."""
    rfa = _local("rfa", str(body.get("request", "")), RequestForAssistance)
    if not partner.sends_to or not partner.crises.filter(pk=rfa.crisis_id).exists():
        raise ValidationFailed("the request's crisis is not shared with you", field="request")
    actor = proxy_user(partner, str(body.get("actor", "")), str(body.get("party", "")))
    command = body.get("command")
    subject = str(body.get("offer") or body.get("dispatch") or body.get("offer_line") or "")
    try:
        with transaction.atomic():  # a refusal undoes this command only
            if command == "offer":
                _offer(actor, rfa, body)
            elif command == "withdraw":
                line = _local("offer_line", subject, OfferLine)
                offers.withdraw_offer_line(actor, line, str(body.get("reason", "")))
            elif command == "dispatch":
                _dispatch(actor, body)
            else:
                raise ValidationFailed(f"unknown command {command!r}", field="command")
    except DomainError as refused:
        _refused(actor, rfa, subject, str(refused))
        return f"refused: {refused}"
    return "applied"


def _offer(actor: Any, rfa: RequestForAssistance, body: dict[str, Any]) -> None:
    if ids.resolve("offer", body["offer"]) is not None:
        return  # made already (a command is applied once: see inbound)
    lines = [
        {
            "request_line": ids.resolve("line", ln["request_line"]),
            "quantity": ln["quantity"],
            "notes": ln.get("notes", ""),
        }
        for ln in body["lines"]
    ]
    available = body.get("available_from")
    offer = offers.make_offer(
        actor,
        rfa=rfa,
        lines=lines,
        available_from=datetime.fromisoformat(available).date() if available else None,
        origin_airport=body.get("origin_airport", ""),
        origin_place=body.get("origin_place", ""),
        own_transport=bool(body.get("own_transport")),
        conditions=body.get("conditions", ""),
    )
    ids.link("offer", offer.pk, body["offer"])
    made = list(OfferLine.objects.filter(offer=offer).order_by("pk"))
    for row, sent in zip(made, body["lines"], strict=True):
        ids.link("offer_line", row.pk, sent["gid"])


def _dispatch(actor: Any, body: dict[str, Any]) -> None:
    if ids.resolve("dispatch", body["dispatch"]) is not None:
        return
    line = _local("offer_line", body["offer_line"], OfferLine)
    dispatch = logistics.dispatch_offer_line(
        actor,
        line,
        quantity=body["quantity"],
        mode=body["mode"],
        dispatched_at=_when(body.get("dispatched_at")),
        expected_at=_when(body.get("expected_at")),
        transport_reference=body.get("transport_reference", ""),
        carrier=body.get("carrier", ""),
        note=body.get("note", ""),
    )
    ids.link("dispatch", dispatch.pk, body["dispatch"])


def _refused(actor: Any, rfa: RequestForAssistance, subject: str, reason: str) -> None:
    share, _created = Share.objects.select_for_update().get_or_create(rfa=rfa)
    share.refused = {**share.refused, subject: reason[:300]}
    share.save(update_fields=["refused"])
    record(
        actor,
        "federation.command_refused",
        rfa,
        crisis=rfa.crisis,
        changes={"subject": [None, subject]},
        reason=reason[:300],
    )
    share_changed(rfa.pk)
