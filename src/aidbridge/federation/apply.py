"""At the partner: apply the origin's snapshot of a request to its mirror here.

Only a newer version than the one applied is taken (a replayed or late message
changes nothing). Rows are written directly, not through the services: the origin
has decided already, under its locks; the mirror follows it. A row is found by its
global id (ours for what our nations made and forwarded, a link for the rest), made
if new, and overwritten with the origin's figures, so the ledger's sums here equal
the origin's. What we made that the origin refused is withdrawn.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from aidbridge.accounts.models import Profile, Role
from aidbridge.audit.services import record
from aidbridge.catalogue.models import Item
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.references import OWN_REFERENCE_LENGTH
from aidbridge.crises.models import Crisis
from aidbridge.federation import ids
from aidbridge.federation.models import Mirror, Partner
from aidbridge.ledger.maintained import (
    batched,
    offer_made,
    touch_offer_lines,
    touch_request,
    touch_request_lines,
)
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance, RequestLine


def system_user(partner: Partner) -> Any:
    """Who "made" the mirrored rows here: the partner centre, as an account that
    cannot sign in."""
    name = f"federation-{partner.code.lower()}"
    user, created = get_user_model().objects.get_or_create(username=name)
    if created:
        user.set_unusable_password()
        user.is_active = False
        user.save()
        centre = Party.objects.filter(kind=Party.Kind.CENTRE).order_by("pk").first()
        if centre is not None:
            Profile.objects.create(user=user, party=centre, role=Role.OBSERVER)
    return user


def mirrored_reference(partner: Partner, reference: str) -> str:
    """Our reference of a row the partner made: its code and its own reference, whole.

    The partner's reference is checked here, where it enters: cut to fit, two
    references could end alike (``EADRCC-OFR-2026-1000`` for its 1,000th offer and its
    10,000th), and the second row would then clash with the first."""
    if not reference or len(reference) > OWN_REFERENCE_LENGTH:
        raise ValidationFailed(
            f"reference {reference[:40]!r} is empty or longer than {OWN_REFERENCE_LENGTH}"
            " characters",
            field="reference",
        )
    return f"{partner.code}-{reference}"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class _Lookup:
    """Codes to rows, each read once per snapshot."""

    def __init__(self) -> None:
        self.items: dict[str, Item] = {}
        self.parties: dict[str, Party] = {}

    def item(self, code: str) -> Item:
        if code not in self.items:
            found = Item.objects.filter(code=code).first()
            if found is None:
                raise ValidationFailed(f"unknown item {code!r}", field="item")
            self.items[code] = found
        return self.items[code]

    def party(self, code: str) -> Party:
        if code not in self.parties:
            found = Party.objects.filter(code=code).first()
            if found is None:
                raise ValidationFailed(f"unknown party {code!r}", field="party")
            self.parties[code] = found
        return self.parties[code]


MODELS: dict[str, type[Model]] = {
    "rfa": RequestForAssistance,
    "line": RequestLine,
    "offer": Offer,
    "offer_line": OfferLine,
    "dispatch": Dispatch,
    "receipt": Receipt,
}


class _Known:
    """The snapshot's rows we have already, by global id, read in one query per kind
    for the links and one per kind for the rows: a snapshot repeats every row of its
    request, and most are unchanged since the last one, so looking each up on its
    own made applying a request of n offers cost some 4n queries."""

    def __init__(self, req: dict[str, Any]) -> None:
        gids: dict[str, list[str]] = {kind: [] for kind in MODELS}
        gids["rfa"].append(str(req["gid"]))
        gids["line"] += [ln["gid"] for ln in req["lines"]]
        for off in req["offers"]:
            gids["offer"].append(off["gid"])
            for ol in off["lines"]:
                gids["offer_line"].append(ol["gid"])
                for d in ol["dispatches"]:
                    gids["dispatch"].append(d["gid"])
                    if d["receipt"] is not None:
                        gids["receipt"].append(d["receipt"]["gid"])
        self.rows: dict[str, dict[str, Any]] = {}
        for kind, model in MODELS.items():
            pks = ids.resolve_many(kind, gids[kind]) if gids[kind] else {}
            found = model._default_manager.in_bulk(list(set(pks.values())))
            self.rows[kind] = {gid: found[pk] for gid, pk in pks.items() if pk in found}

    def get(self, kind: str, gid: str) -> Any:
        return self.rows[kind].get(gid)


def _differs(row: Any, name: str, value: Any) -> bool:
    if isinstance(value, Model):  # compare ids: reading the related row costs a query
        return bool(getattr(row, f"{name}_id") != value.pk)
    return bool(getattr(row, name) != value)


def _upsert(
    known: _Known, kind: str, gid: str, values: dict[str, Any], create: dict[str, Any]
) -> tuple[Any, bool]:
    """The row of ``gid``, made or brought up to ``values``; whether it changed."""
    manager = MODELS[kind]._default_manager
    row = known.get(kind, gid)
    if row is None:
        row = manager.create(**values, **create)
        ids.link(kind, row.pk, gid)
        return row, True
    changed = {k: v for k, v in values.items() if _differs(row, k, v)}
    if changed:
        manager.filter(pk=row.pk).update(**changed)
    return row, bool(changed)


def apply_snapshot(partner: Partner, body: dict[str, Any]) -> str:
    try:
        # The rows are written beside the services, so the maintained figures are
        # refreshed here, once per snapshot, or the dashboards here drift from the ledger.
        with batched():
            return _apply(partner, body)
    except (KeyError, TypeError, ValueError) as wrong:
        raise ValidationFailed(f"malformed snapshot: {wrong!r}"[:200], field="request") from None


def _apply(partner: Partner, body: dict[str, Any]) -> str:
    req = body["request"]
    gid = str(req["gid"])
    version = int(body["version"])
    if ids.centre_of(gid) != partner.code:
        raise ValidationFailed("a centre sends snapshots of its own requests only", field="gid")
    crisis = Crisis.objects.filter(code=req["crisis"]).first()
    if crisis is None or not partner.crises.filter(pk=crisis.pk).exists():
        raise ValidationFailed(f"crisis {req['crisis']!r} is not shared with us", field="crisis")
    mirror = Mirror.objects.select_for_update().filter(origin_gid=gid).first()
    if mirror is not None and mirror.version >= version:
        return f"stale: version {version}, have {mirror.version}"
    who = system_user(partner)
    look = _Lookup()
    fields = {
        "crisis": crisis,
        "requester": look.party(req["requester"]),
        "title": req["title"][:200],
        "situation": req["situation"],
        "status": req["status"],
        "closure": req["closure"],
        "status_reason": req["status_reason"],
        "entry_notes": req["entry_notes"],
        "circulated_at": _moment(req["circulated_at"]),
        "submitted_at": _moment(req["circulated_at"]),
        "closed_at": _moment(req["closed_at"]),
        "reference": mirrored_reference(partner, req["reference"]),
    }
    before = mirror.version if mirror else 0
    known = _Known(req)
    rfa, rfa_changed = _upsert(known, "rfa", gid, fields, {"created_by": who})
    if mirror is None:
        mirror = Mirror.objects.create(
            rfa=rfa,
            partner=partner,
            origin_gid=gid,
            origin_reference=req["reference"],
            version=version,
            updated_at=timezone.now(),
        )
    else:
        Mirror.objects.filter(pk=mirror.pk).update(version=version, updated_at=timezone.now())
    lines, changed_lines = {}, []
    for ln in req["lines"]:
        lines[ln["gid"]], changed = _upsert(
            known,
            "line",
            ln["gid"],
            {
                "position": ln["position"],
                "item": look.item(ln["item"]),
                "quantity": ln["quantity"],
                "unit": ln["unit"],
                "specification": ln["specification"],
                "priority": ln["priority"],
                "needed_by": _date(ln["needed_by"]),
                "delivery_airport": ln["delivery_airport"],
                "delivery_place": ln["delivery_place"],
                "transport_needed": ln["transport_needed"],
            },
            {"rfa": rfa},
        )
        if changed:
            changed_lines.append(lines[ln["gid"]].pk)
    changed_offer_lines = []
    for off in req["offers"]:
        changed_offer_lines += _offer(known, off, rfa, crisis, lines, look, who, partner)
    _withdraw_refused(body.get("refused") or {})
    # The figures follow whatever the snapshot changed, and only that: a snapshot
    # repeats the whole request, and refreshing every line's figures on each one made
    # applying it grow with the request. The request itself changed (its status): its
    # lines and every offer line answering them enter, stay in or leave the picture.
    if rfa_changed:
        touch_request(rfa)
    else:
        touch_request_lines(changed_lines)
        touch_offer_lines(changed_offer_lines)  # dispatches and receipts count on these
    record(
        None,
        "federation.snapshot",
        rfa,
        crisis=crisis,
        changes={"version": [before, version]},
    )
    return f"applied version {version}"


def _offer(
    known: _Known,
    off: dict[str, Any],
    rfa: RequestForAssistance,
    crisis: Crisis,
    lines: dict[str, RequestLine],
    look: _Lookup,
    who: Any,
    partner: Partner,
) -> list[OfferLine]:
    """Apply one offer; its lines that changed, or whose dispatches or receipts did."""
    offer, offer_changed = _upsert(
        known,
        "offer",
        off["gid"],
        {
            "available_from": _date(off["available_from"]),
            "origin_airport": off["origin_airport"],
            "origin_place": off["origin_place"],
            "own_transport": off["own_transport"],
            "conditions": off["conditions"],
        },
        {
            "rfa": rfa,
            "crisis": crisis,
            "donor": look.party(off["donor"]),
            "created_by": who,
            "reference": mirrored_reference(partner, off["reference"]),
        },
    )
    if offer_changed:
        offer_made(offer)  # counted or not as its request is (refreshed again by touch_request)
    changed_lines = []
    for ol in off["lines"]:
        line, changed = _upsert(
            known,
            "offer_line",
            ol["gid"],
            {
                "quantity": ol["quantity"],
                "accepted": ol["accepted"],
                "declined": ol["declined"],
                "status": ol["status"],
                "decline_reason": ol["decline_reason"],
                "over_acceptance_reason": ol["over_acceptance_reason"],
                "notes": ol["notes"],
            },
            {
                "offer": offer,
                "item": look.item(ol["item"]),
                "request_line": lines.get(ol["request_line"]),
            },
        )
        for d in ol["dispatches"]:
            dispatch, moved = _upsert(
                known,
                "dispatch",
                d["gid"],
                {
                    "quantity": d["quantity"],
                    "mode": d["mode"],
                    "dispatched_at": _moment(d["dispatched_at"]),
                    "expected_at": _moment(d["expected_at"]),
                    "transport_reference": d["transport_reference"],
                    "carrier": d["carrier"],
                    "note": d["note"],
                },
                {"offer_line": line, "reported_by": who},
            )
            changed |= moved
            r = d["receipt"]
            if r is not None:
                _receipt, received = _upsert(
                    known,
                    "receipt",
                    r["gid"],
                    {
                        "quantity": r["quantity"],
                        "received_at": _moment(r["received_at"]),
                        "note": r["note"],
                    },
                    {"dispatch": dispatch, "confirmed_by": who},
                )
                changed |= received
        if changed:
            changed_lines.append(line)
    return changed_lines


def _withdraw_refused(refused: dict[str, str]) -> None:
    for gid, reason in refused.items():
        dispatch = ids.resolve("dispatch", gid) if ids.centre_of(gid) == ids.own_code() else None
        if dispatch is not None:
            # Reported here, refused at the origin (more than was accepted and left):
            # it never happened as far as the shared picture goes.
            gone = Dispatch.objects.filter(pk=dispatch, receipt__isnull=True)
            touch_offer_lines(OfferLine.objects.filter(dispatches__in=gone))
            gone.delete()
            continue
        for kind in ("offer", "offer_line"):
            pk = ids.resolve(kind, gid)
            if pk is None or ids.centre_of(gid) != ids.own_code():
                continue
            rows = OfferLine.objects.filter(**{"offer_id" if kind == "offer" else "pk": pk})
            withdrawn = rows.filter(status=OfferLine.Status.OPEN, accepted=0)
            touch_offer_lines(list(withdrawn))  # read before the update empties the filter
            withdrawn.update(
                status=OfferLine.Status.WITHDRAWN, notes=f"Refused by the origin centre: {reason}"
            )
