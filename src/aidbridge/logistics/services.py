"""Moving accepted aid: the donor reports dispatches, the requester confirms receipts.

A dispatch is checked against what was accepted under a row lock on the offer line,
so two reports sent at once cannot together move more than was accepted; a receipt
is confirmed once per dispatch, for at most what was dispatched. Neither looks at the
request's or the crisis's status: aid accepted before a close is still moved and
received after it. Lock order: ``core.locks``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from aidbridge.audit.services import record
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.core.quantities import whole_quantity
from aidbridge.ledger.maintained import touch_offer_lines
from aidbridge.ledger.sums import movement_of
from aidbridge.logistics import events
from aidbridge.logistics.actions import require_dispatch_action
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.notifications.services import local_name, notify, pocs_of
from aidbridge.offers.actions import require_offer_line_action
from aidbridge.offers.models import OfferLine


def _link(dispatch: Dispatch) -> str:
    return f"/api/v1/dispatches/{dispatch.pk}"


def dispatch_offer_line(
    actor: Any,
    line: OfferLine,
    *,
    quantity: int,
    mode: str,
    dispatched_at: datetime | None = None,
    expected_at: datetime | None = None,
    transport_reference: str = "",
    carrier: str = "",
    note: str = "",
    by_airlift: bool = False,
    replayed: bool = False,
) -> Dispatch:
    """The donor (or the centre for it) reports that accepted aid is on its way.

    ``dispatched_at`` follows ``logistics.events`` (default now, not in the future, not
    before the line was accepted). ``by_airlift``: the report comes from a sortie's
    departure (``airlift.services.sorties``, which checked the sortie), which the airlift
    coordinator may also make. ``replayed``: a story told after the fact through the
    services (the demo's 2020 scenario), whose acceptances are recorded at load time;
    only the order against the acceptance is then not checked.
    """
    line = OfferLine.objects.select_related("offer__donor").get(pk=line.pk)
    quantity = whole_quantity(quantity, "quantity")
    if mode not in Dispatch.Mode.values:
        raise ValidationFailed(
            gettext("unknown mode %(mode)s; choose from: %(value)s")
            % {"mode": repr(mode), "value": ", ".join(Dispatch.Mode.values)},
            field="mode",
        )
    dispatched_at = events.event_date(dispatched_at, "dispatched_at")
    expected_at = events.moment(expected_at, "expected_at")
    if expected_at is not None and expected_at < dispatched_at:
        raise ValidationFailed(gettext("cannot be before the dispatch"), field="expected_at")
    with transaction.atomic():
        line = (
            OfferLine.objects.select_for_update(no_key=True, of=("self",))
            .select_related("offer__crisis", "offer__donor", "item", "request_line__rfa__requester")
            .get(pk=line.pk)
        )
        done = movement_of(line.pk)
        require_offer_line_action(
            actor, line, "dispatch", dispatched=done.dispatched, by_airlift=by_airlift
        )
        if not replayed:
            events.require_not_before(
                dispatched_at,
                events.first_accepted_at(line),
                "the offer line was accepted",
                "dispatched_at",
            )
        if quantity > done.left_to_dispatch:
            raise ValidationFailed(
                gettext(
                    "only %(left_to_dispatch)s of offer line %(line)s are accepted and not "
                    "yet dispatched (accepted %(accepted)s, dispatched %(dispatched)s)"
                )
                % {
                    "left_to_dispatch": done.left_to_dispatch,
                    "line": line,
                    "accepted": line.accepted,
                    "dispatched": done.dispatched,
                },
                field="quantity",
            )
        dispatch = Dispatch.objects.create(
            offer_line=line,
            quantity=quantity,
            mode=mode,
            dispatched_at=dispatched_at,
            expected_at=expected_at,
            transport_reference=(transport_reference or "").strip(),
            carrier=(carrier or "").strip(),
            note=(note or "").strip(),
            reported_by=actor,
        )
        touch_offer_lines([line])
        record(
            actor,
            "dispatch.create",
            dispatch,
            crisis=line.offer.crisis,
            to_state="dispatched",
            changes={
                "quantity": [None, quantity],
                "mode": [None, mode],
                "offer_line_dispatched": [done.dispatched, done.dispatched + quantity],
            },
            reason=dispatch.note,
        )
        if line.request_line is not None:
            notify(
                pocs_of(line.request_line.rfa.requester),
                kind="dispatch.new",
                subject=lambda: (
                    _("%(ref)s: %(n)s %(item)s dispatched")
                    % {"ref": line.offer.reference, "n": quantity, "item": line.item.code}
                ),
                body=lambda: (
                    _("%(donor)s dispatched %(n)s %(item)s (%(mode)s) for %(rfa)s.")
                    % {
                        "donor": local_name(line.offer.donor),
                        "n": quantity,
                        "item": local_name(line.item),
                        "mode": dispatch.get_mode_display(),
                        "rfa": line.request_line.rfa,  # type: ignore[union-attr]
                    }
                    + (
                        "\n" + _("Expected %(when)s.") % {"when": f"{expected_at:%Y-%m-%d %H:%MZ}"}
                        if expected_at
                        else ""
                    )
                ),
                link=_link(dispatch),
                crisis=line.offer.crisis,
                exclude=actor,
            )
    return dispatch


def confirm_receipt(
    actor: Any,
    dispatch: Dispatch,
    *,
    quantity: int,
    received_at: datetime | None = None,
    note: str = "",
    by_airlift: bool = False,
) -> Receipt:
    """The requesting nation confirms what actually arrived, once per dispatch
    (``by_airlift``: patients landed by a MEDEVAC sortie, see ``logistics.actions``).

    Less than was dispatched is recorded as such, but only with a note saying what
    happened to the rest; nothing can be received beyond what was sent.
    """
    dispatch = Dispatch.objects.select_related("offer_line__request_line__rfa__requester").get(
        pk=dispatch.pk
    )
    quantity = whole_quantity(quantity, "quantity", allow_zero=True)
    note = (note or "").strip()
    received_at = events.event_date(received_at, "received_at")
    with transaction.atomic():
        dispatch = (
            Dispatch.objects.select_for_update(no_key=True, of=("self",))
            .select_related("offer_line__offer__crisis", "offer_line__offer__donor")
            .select_related("offer_line__item", "offer_line__request_line__rfa__requester")
            .get(pk=dispatch.pk)
        )
        require_dispatch_action(actor, dispatch, "confirm_receipt", by_airlift=by_airlift)
        need = dispatch.offer_line.request_line
        assert need is not None  # the rule refuses a dispatch that answers no request
        if quantity > dispatch.quantity:
            raise ValidationFailed(
                gettext("only %(quantity)s were dispatched") % {"quantity": dispatch.quantity},
                field="quantity",
            )
        if quantity < dispatch.quantity and not note:
            raise ValidationFailed(
                gettext("%(value)s fewer than dispatched: say what happened")
                % {"value": dispatch.quantity - quantity},
                field="note",
            )
        events.require_not_before(
            received_at, dispatch.dispatched_at, "the dispatch", "received_at"
        )
        try:
            with transaction.atomic():
                receipt = Receipt.objects.create(
                    dispatch=dispatch,
                    quantity=quantity,
                    received_at=received_at,
                    note=note,
                    confirmed_by=actor,
                )
        except IntegrityError:  # only without row locks (SQLite serialises writers)
            raise Conflict(
                gettext("the receipt of dispatch %(pk)s is already confirmed") % {"pk": dispatch.pk}
            ) from None
        line = dispatch.offer_line
        touch_offer_lines([line])
        shortfall = dispatch.quantity - quantity
        record(
            actor,
            "receipt.confirm",
            receipt,
            crisis=line.offer.crisis,
            from_state="dispatched",
            to_state="received" if not shortfall else "received_short",
            changes={"quantity": [dispatch.quantity, quantity]},
            reason=note,
        )
        notify(
            pocs_of(line.offer.donor),
            kind="receipt.confirmed",
            subject=lambda: (
                _("%(ref)s: receipt of %(n)s %(item)s confirmed")
                % {"ref": line.offer.reference, "n": quantity, "item": line.item.code}
            ),
            body=lambda: (
                _("%(requester)s confirmed receipt of %(n)s of the %(sent)s %(item)s dispatched.")
                % {
                    "requester": local_name(need.rfa.requester),
                    "n": quantity,
                    "sent": dispatch.quantity,
                    "item": local_name(line.item),
                }
                + (
                    "\n" + _("Shortfall %(n)s: %(note)s") % {"n": shortfall, "note": note}
                    if shortfall
                    else ""
                )
            ),
            link=_link(dispatch),
            crisis=line.offer.crisis,
            exclude=actor,
        )
    return receipt
