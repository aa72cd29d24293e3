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
from django.db.models import Sum
from django.utils import timezone

from aidbridge.accounts.models import Role
from aidbridge.accounts.permissions import profile_of, require_poc_of, require_poc_or_centre
from aidbridge.audit.services import record
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.core.quantities import whole_quantity
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.notifications.services import notify, pocs_of
from aidbridge.offers.models import OfferLine


def _moment(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise ValidationFailed("must be a date and time", field=field)
    if timezone.is_naive(value):
        raise ValidationFailed("give the time zone (UTC: a trailing Z)", field=field)
    return value


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
    note: str = "",
    by_airlift: bool = False,
) -> Dispatch:
    """The donor (or the centre for it) reports that accepted aid is on its way.

    ``by_airlift``: the report comes from a sortie's departure (``airlift.sorties``,
    which checked the sortie), which the airlift coordinator may also make.
    """
    line = OfferLine.objects.select_related("offer__donor").get(pk=line.pk)
    if not (by_airlift and profile_of(actor).role == Role.AIRLIFT_COORDINATOR):
        require_poc_or_centre(actor, line.offer.donor, "report a dispatch")
    quantity = whole_quantity(quantity, "quantity")
    if mode not in Dispatch.Mode.values:
        raise ValidationFailed(
            f"unknown mode {mode!r}; choose from: {', '.join(Dispatch.Mode.values)}",
            field="mode",
        )
    dispatched_at = _moment(dispatched_at, "dispatched_at") or timezone.now()
    expected_at = _moment(expected_at, "expected_at")
    if expected_at is not None and expected_at < dispatched_at:
        raise ValidationFailed("cannot be before the dispatch", field="expected_at")
    with transaction.atomic():
        line = (
            OfferLine.objects.select_for_update(no_key=True, of=("self",))
            .select_related("offer__crisis", "offer__donor", "item", "request_line__rfa__requester")
            .get(pk=line.pk)
        )
        already = line.dispatches.aggregate(total=Sum("quantity"))["total"] or 0
        if quantity > line.accepted - already:
            raise ValidationFailed(
                f"only {max(line.accepted - already, 0)} of offer line {line} are accepted "
                f"and not yet dispatched (accepted {line.accepted}, dispatched {already})",
                field="quantity",
            )
        dispatch = Dispatch.objects.create(
            offer_line=line,
            quantity=quantity,
            mode=mode,
            dispatched_at=dispatched_at,
            expected_at=expected_at,
            transport_reference=(transport_reference or "").strip(),
            note=(note or "").strip(),
            reported_by=actor,
        )
        record(
            actor,
            "dispatch.create",
            dispatch,
            crisis=line.offer.crisis,
            to_state="dispatched",
            changes={
                "quantity": [None, quantity],
                "mode": [None, mode],
                "offer_line_dispatched": [already, already + quantity],
            },
            reason=dispatch.note,
        )
        if line.request_line is not None:
            notify(
                pocs_of(line.request_line.rfa.requester),
                kind="dispatch.new",
                subject=f"{line.offer.reference}: {quantity} {line.item.code} dispatched",
                body=(
                    f"{line.offer.donor.name_en} dispatched {quantity} {line.item.name_en} "
                    f"({dispatch.get_mode_display()}) for {line.request_line.rfa}."
                    + (f"\nExpected {expected_at:%Y-%m-%d %H:%MZ}." if expected_at else "")
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
) -> Receipt:
    """The requesting nation confirms what actually arrived, once per dispatch.

    Less than was dispatched is recorded as such, but only with a note saying what
    happened to the rest; nothing can be received beyond what was sent.
    """
    dispatch = Dispatch.objects.select_related("offer_line__request_line__rfa__requester").get(
        pk=dispatch.pk
    )
    need = dispatch.offer_line.request_line
    if need is None:
        raise Conflict("this dispatch answers no request: there is no receipt to confirm")
    require_poc_of(actor, need.rfa.requester, "confirm a receipt")
    quantity = whole_quantity(quantity, "quantity", allow_zero=True)
    note = (note or "").strip()
    received_at = _moment(received_at, "received_at") or timezone.now()
    with transaction.atomic():
        dispatch = (
            Dispatch.objects.select_for_update(no_key=True, of=("self",))
            .select_related("offer_line__offer__crisis", "offer_line__offer__donor")
            .select_related("offer_line__item")
            .get(pk=dispatch.pk)
        )
        if Receipt.objects.filter(dispatch=dispatch).exists():
            raise Conflict(f"the receipt of dispatch {dispatch.pk} is already confirmed")
        if quantity > dispatch.quantity:
            raise ValidationFailed(f"only {dispatch.quantity} were dispatched", field="quantity")
        if quantity < dispatch.quantity and not note:
            raise ValidationFailed(
                f"{dispatch.quantity - quantity} fewer than dispatched: say what happened",
                field="note",
            )
        if received_at < dispatch.dispatched_at:
            raise ValidationFailed("cannot be before the dispatch", field="received_at")
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
            raise Conflict(f"the receipt of dispatch {dispatch.pk} is already confirmed") from None
        line = dispatch.offer_line
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
            subject=f"{line.offer.reference}: receipt of {quantity} {line.item.code} confirmed",
            body=(
                f"{need.rfa.requester.name_en} confirmed receipt of {quantity} of the "
                f"{dispatch.quantity} {line.item.name_en} dispatched."
                + (f"\nShortfall {shortfall}: {note}" if shortfall else "")
            ),
            link=_link(dispatch),
            crisis=line.offer.crisis,
            exclude=actor,
        )
    return receipt
