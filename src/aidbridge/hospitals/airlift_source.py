"""Patient transfers handed to the airlift planner, as consignments needing a MEDEVAC
aircraft (``airlift.sources``; registered in ``HospitalsConfig.ready``).

An accepted transfer goes to the airlift when its proposed mode is a MEDEVAC flight, or
when the centre hands a road transfer over (``hand_to_airlift``), as long as it has not
departed. Its consignment:

- flies from the need's pick-up airport (the request line's delivery airport: where the
  transfer starts) to the receiving hospital's airport;
- weighs and occupies what its patients do when flown: ``patients`` x the item's
  catalogue ``transport_weight_kg`` and ``transport_volume_m3`` (``PAT-ICU``: 450 kg and
  10 m³, see docs/domain.md), so one ICU patient takes one pallet position, i.e. one
  intensive-care station of the A310 MedEvac type;
- requires the ``medevac`` capability: only a MEDEVAC-fitted aircraft carries it;
- is ready from the offer's ``available_from`` (or the crisis's start) and due by the
  end of the need's needed-by day, priority the need's.

The sortie's departure is the transfer's departure (``tracking.depart``) and its arrival
the transfer's arrival (``tracking.arrive``): the dispatch and receipt the tracking and
the ledger's "patients transferred" already use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import centre_refusal, profile_of
from aidbridge.airlift.consignments import SKIPPED_ENGLISH, Consignment, Skipped, pallets_for
from aidbridge.airlift.models import Aircraft, Capability
from aidbridge.audit.services import record
from aidbridge.catalogue.airports import get_airport
from aidbridge.core.actions import refuse
from aidbridge.core.errors import Conflict
from aidbridge.crises.models import Crisis
from aidbridge.hospitals import tracking
from aidbridge.hospitals.models import ProposedTransfer
from aidbridge.logistics.models import Dispatch

SOURCE = "hospitals.transfer"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=UTC)


def handed_over(crisis: Crisis) -> Any:
    """Accepted transfers of the crisis waiting for the airlift (not departed yet)."""
    return (
        ProposedTransfer.objects.filter(
            run__crisis=crisis, run__accepted_at__isnull=False, dispatch__isnull=True
        )
        .filter(Q(mode=ProposedTransfer.Mode.AIR) | Q(airlift=True))
        .select_related(
            "hospital", "need__item", "need__rfa__requester", "offer_line__offer__donor"
        )
        .order_by("pk")
    )


def _consignment(t: ProposedTransfer, crisis: Crisis) -> Consignment | Skipped:
    need, offer = t.need, t.offer_line.offer
    origin = (need.delivery_airport or "").strip().upper()
    destination = (t.hospital.airport or "").strip().upper()
    item = need.item
    weight = t.patients * (item.transport_weight_kg or Decimal(0))
    volume = t.patients * (item.transport_volume_m3 or Decimal(0))
    problem: tuple[str, dict[str, Any]] | None = None
    if not origin or get_airport(origin) is None:
        problem = "transfer_no_airport", {"transfer": t.pk, "place": t.need_ref}
    elif not destination or get_airport(destination) is None:
        problem = "transfer_no_airport", {"transfer": t.pk, "place": t.hospital.name}
    elif weight <= 0:
        problem = "no_transport_weight", {"item": item.code}
    if problem is not None:
        code, params = problem
        reason = SKIPPED_ENGLISH[code].format(**params)
        return Skipped(
            t.offer_line_id, offer.reference, need.item.code, t.patients, reason, code, params
        )
    return Consignment(
        id=f"{offer.reference}/T{t.pk}",
        offer_line=t.offer_line_id,
        offer=offer.reference,
        donor=offer.donor.code,
        requester=need.rfa.requester.code,
        item=need.item.code,
        quantity=t.patients,
        weight_kg=round(float(weight), 1),
        pallets=pallets_for(weight, volume),
        origin=origin,
        destination=destination,
        priority=need.priority,
        ready_at=_start_of(offer.available_from or crisis.started_on),
        due_by=_end_of(need.needed_by) if need.needed_by else None,
        requires=(Capability.MEDEVAC.value,),
        source=SOURCE,
        source_key=str(t.pk),
    )


class MedevacTransfers:
    name = SOURCE

    def consignments(self, crisis: Crisis) -> tuple[list[Consignment], list[Skipped]]:
        out: list[Consignment] = []
        skipped: list[Skipped] = []
        for t in handed_over(crisis):
            made = _consignment(t, crisis)
            (out if isinstance(made, Consignment) else skipped).append(made)  # type: ignore[arg-type]
        return out, skipped

    def depart(
        self, actor: Any, key: str, *, at: datetime, expected_at: datetime, reference: str
    ) -> Dispatch:
        transfer = ProposedTransfer.objects.get(pk=int(key))
        return tracking.depart(
            actor,
            transfer,
            departed_at=at,
            expected_at=expected_at,
            carrier="MEDEVAC",
            transport_reference=reference,
            by_airlift=True,
        )

    def arrive(self, actor: Any, key: str, *, at: datetime) -> None:
        transfer = ProposedTransfer.objects.get(pk=int(key))
        tracking.arrive(actor, transfer, arrived_at=at, by_airlift=True)


def medevac_fleet() -> list[str]:
    """Tails of the aircraft fitted for MEDEVAC."""
    return [a.tail for a in Aircraft.objects.all() if Capability.MEDEVAC in a.capabilities]


def hand_to_airlift(actor: Any, transfer: ProposedTransfer) -> ProposedTransfer:
    """The centre hands an accepted transfer that has not left to the airlift planner
    (a road transfer it wants flown; a MEDEVAC one is handed over already)."""
    refuse(centre_refusal(profile_of(actor), gettext_noop("hand a transfer to the airlift")))
    with transaction.atomic():
        transfer = (
            ProposedTransfer.objects.select_for_update(of=("self",))
            .select_related("run__crisis")
            .get(pk=transfer.pk)
        )
        if transfer.run.accepted_at is None:
            raise Conflict(
                gettext("transfer %(t)s is only proposed: accept the matching first")
                % {"t": transfer},
                code="not_accepted",
            )
        if transfer.dispatch_id is not None:
            raise Conflict(
                gettext("transfer %(t)s has already departed") % {"t": transfer},
                code="already_departed",
            )
        if not medevac_fleet():
            raise Conflict(
                gettext(
                    "no aircraft of the fleet is fitted for MEDEVAC (capability medevac): "
                    "add one to the fleet before handing patients to the airlift"
                ),
                field="fleet",
                code="no_medevac_aircraft",
            )
        if not transfer.airlift:
            transfer.airlift = True
            transfer.save(update_fields=["airlift"])
            record(
                actor,
                "proposed_transfer.airlift",
                transfer,
                crisis=transfer.run.crisis,
                changes={"airlift": [False, True]},
            )
    return transfer
