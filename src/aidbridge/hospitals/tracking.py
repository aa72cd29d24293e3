"""Tracking an accepted patient transfer: planned, departed, arrived.

A transfer of an accepted matching is planned; its departure is an ordinary dispatch
of its bed offer line (``logistics.services.dispatch_offer_line``: N patients, by road
ambulance or MEDEVAC flight, with the carrier), and its arrival the receipt of that
dispatch, confirmed by the requesting nation like any other (``confirm_receipt``, on
the dispatches page or the API). So the ledger's dispatched, in-transit and delivered
figures of a patient-transfer line are patients on their way and patients transferred,
with no figure kept here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from aidbridge.core.errors import Conflict
from aidbridge.hospitals.models import ProposedTransfer
from aidbridge.logistics import services as logistics
from aidbridge.logistics.models import Dispatch, Receipt

# How each transfer mode is dispatched: a MEDEVAC flight is an air movement.
DISPATCH_MODE = {
    ProposedTransfer.Mode.ROAD: Dispatch.Mode.ROAD,
    ProposedTransfer.Mode.AIR: Dispatch.Mode.AIRLIFT,
}


def depart(
    actor: Any,
    transfer: ProposedTransfer,
    *,
    departed_at: datetime | None = None,
    expected_at: datetime | None = None,
    carrier: str = "",
    transport_reference: str = "",
    by_airlift: bool = False,
) -> Dispatch:
    """The patients of an accepted transfer leave for the receiving hospital (the
    receiving nation or the centre reports it, as any dispatch; ``by_airlift``: the
    departure of the MEDEVAC sortie carrying them, ``hospitals.airlift_source``)."""
    with transaction.atomic():
        transfer = (
            ProposedTransfer.objects.select_for_update(of=("self",))
            .select_related("run", "hospital", "offer_line")
            .get(pk=transfer.pk)
        )
        if transfer.run.accepted_at is None:
            raise Conflict(
                f"transfer {transfer} is only proposed: accept the matching first",
                code="not_accepted",
            )
        if transfer.dispatch_id is not None:
            raise Conflict(f"transfer {transfer} has already departed", code="already_departed")
        dispatch = logistics.dispatch_offer_line(
            actor,
            transfer.offer_line,
            quantity=transfer.patients,
            # Flown by a sortie even when proposed by road (the centre handed it over).
            mode=Dispatch.Mode.AIRLIFT
            if by_airlift
            else DISPATCH_MODE[ProposedTransfer.Mode(transfer.mode)],
            dispatched_at=departed_at,
            expected_at=expected_at,
            carrier=carrier,
            transport_reference=transport_reference,
            by_airlift=by_airlift,
            note=f"Patient transfer to {transfer.hospital.name} ({transfer.get_mode_display()})",
        )
        transfer.dispatch = dispatch
        transfer.save(update_fields=["dispatch"])
    return dispatch


def arrive(
    actor: Any,
    transfer: ProposedTransfer,
    *,
    patients: int | None = None,
    arrived_at: datetime | None = None,
    note: str = "",
    by_airlift: bool = False,
) -> Receipt:
    """The patients arrived at the receiving hospital: the requesting nation confirms the
    receipt of the departure's dispatch (fewer than left only with a note); or the
    MEDEVAC sortie that flew them lands (``by_airlift``), its crew handing them over."""
    transfer = ProposedTransfer.objects.select_related("dispatch").get(pk=transfer.pk)
    if transfer.dispatch is None:
        raise Conflict(f"transfer {transfer} has not departed yet", code="not_departed")
    return logistics.confirm_receipt(
        actor,
        transfer.dispatch,
        quantity=transfer.dispatch.quantity if patients is None else patients,
        received_at=arrived_at,
        note=note,
        by_airlift=by_airlift,
    )
