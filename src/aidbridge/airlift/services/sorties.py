"""Approving a plan into sorties, and a sortie's life: planned → departed → arrived.

Approval re-derives the consignments from the clearing-house as it is now and refuses
(409) a plan whose carried consignments changed since it was made: a plan flies what it
was computed for, or not at all. A sortie's departure reports each load as an airlift
dispatch through ``logistics.services.dispatch_offer_line``, so the picture's
"dispatched" figures move; its arrival updates those dispatches' expected time and asks
the requesting nations to confirm receipt through the normal flow (no receipt is made
here: only the requester knows what actually arrived). Loads another app handed over
(``airlift.sources``: MEDEVAC patient transfers) are departed and arrived by that app,
in the same transaction: the transfer's departure and arrival are its dispatch and
receipt, so "patients transferred" follows the sortie.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from aidbridge.airlift.actions import (
    SORTIE_MOVES,
    carried,
    require_plan_run_action,
    require_sortie_action,
)
from aidbridge.airlift.adapter import planning_input
from aidbridge.airlift.models import Aircraft, AirliftPlanRun, Sortie, SortieLoad
from aidbridge.airlift.sources import source_named
from aidbridge.audit.services import record
from aidbridge.core.errors import Conflict, DomainError, ValidationFailed
from aidbridge.crises.locks import lock_crisis
from aidbridge.logistics.models import Dispatch
from aidbridge.logistics.services import dispatch_offer_line
from aidbridge.notifications.services import local_name, notify, pocs_of
from aidbridge.offers.models import OfferLine


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def planned_sorties(run: AirliftPlanRun) -> list[dict[str, Any]]:
    return list((run.output or {}).get("sorties", []))


def _stale(run: AirliftPlanRun) -> list[str]:
    """What changed since the plan was made, for the consignments it carries."""
    document, lines, _unused = planning_input(run.crisis)
    then = {c["id"]: c for c in run.input["consignments"]}
    now = {c["id"]: c for c in document["consignments"]}
    problems = []
    for cid in carried(run):
        if cid not in now:
            problems.append(_("%(consignment)s no longer awaits airlift") % {"consignment": cid})
        elif now[cid] != then[cid] or lines[cid] != run.lines[cid]:
            before, after = {**then[cid], **run.lines[cid]}, {**now[cid], **lines[cid]}
            diff = [f"{k} {before[k]} → {after[k]}" for k in before if after[k] != before[k]]
            problems.append(
                _("%(consignment)s changed (%(changes)s)")
                % {"consignment": cid, "changes": ", ".join(diff)}
            )
    fleet = {a["id"]: a for a in document["fleet"]}
    for planned in {s["aircraft"] for s in planned_sorties(run)}:
        before = next(a for a in run.input["fleet"] if a["id"] == planned)
        if fleet.get(planned) != before:
            problems.append(
                _("aircraft %(aircraft)s changed or left the fleet") % {"aircraft": planned}
            )
    return problems


def approve_airlift_plan(actor: Any, run: AirliftPlanRun) -> list[Sortie]:
    """The centre commits the plan: one sortie per aircraft route, each load linked."""
    with transaction.atomic():
        # One approval at a time per crisis, so two plans cannot book the same aid.
        lock_crisis(run.crisis_id)
        run = (
            AirliftPlanRun.objects.select_for_update(no_key=True, of=("self",))
            .select_related("crisis")
            .get(pk=run.pk)
        )
        require_plan_run_action(actor, run, "approve")
        problems = _stale(run)
        if problems:
            raise Conflict(
                _("%(run)s is stale, request a new plan: %(problems)s")
                % {"run": run, "problems": "; ".join(problems)},
                field="run",
            )
        flying = [s for s in planned_sorties(run) if any(stop.get("load") for stop in s["stops"])]
        sorties = [_create_sortie(actor, run, k, s) for k, s in enumerate(flying)]
        run.approved_by, run.approved_at = actor, timezone.now()
        run.save(update_fields=["approved_by", "approved_at"])
        record(
            actor,
            "airlift_plan.approve",
            run,
            crisis=run.crisis,
            from_state=run.status,
            to_state="approved",
            changes={"sorties": [None, [s.reference for s in sorties]]},
        )
    return sorties


def _create_sortie(actor: Any, run: AirliftPlanRun, k: int, planned: dict[str, Any]) -> Sortie:
    stops = planned["stops"]
    sortie = Sortie.objects.create(
        run=run,
        crisis=run.crisis,
        reference=f"AL{run.pk:04d}-{k + 1:02d}",
        aircraft=Aircraft.objects.get(tail=planned["aircraft"]),
        stops=stops,
        planned_departure=_time(stops[0]["depart"]),
        planned_return=_time(stops[-1]["arrive"]),
    )
    loaded: dict[str, tuple[str, datetime]] = {}
    for stop in stops:
        for cid in stop.get("load", []):
            loaded[cid] = (stop["airport"], _time(stop["depart"]))
        for cid in stop.get("unload", []):
            origin, load_at = loaded[cid]
            spec = next(c for c in run.input["consignments"] if c["id"] == cid)
            SortieLoad.objects.create(
                sortie=sortie,
                consignment=cid,
                offer_line_id=run.lines[cid]["offer_line"],
                quantity=run.lines[cid]["quantity"],
                source=run.lines[cid].get("source", ""),
                source_key=run.lines[cid].get("source_key", ""),
                weight_kg=spec["weight_kg"],
                pallets=spec["pallets"],
                origin=origin,
                destination=stop["airport"],
                load_at=load_at,
                unload_at=_time(stop["arrive"]),
            )
    record(
        actor,
        "sortie.plan",
        sortie,
        crisis=run.crisis,
        to_state=Sortie.Status.PLANNED,
        changes={"loads": [None, sorted(loaded)], "aircraft": [None, sortie.aircraft.tail]},
    )
    return sortie


def _moment(value: Any, field: str) -> datetime:
    if value is None:
        return timezone.now()
    if not isinstance(value, datetime):
        raise ValidationFailed(gettext("must be a date and time"), field=field)
    if timezone.is_naive(value):
        raise ValidationFailed(gettext("give the time zone (UTC: a trailing Z)"), field=field)
    return value


def move_sortie(
    actor: Any, sortie: Sortie, to: str, *, at: datetime | None = None, note: str = ""
) -> Sortie:
    """The one place a sortie changes status, with its audit entry and its effects."""
    action = next((a for a, (_, target) in SORTIE_MOVES.items() if target == to), None)
    if action is None:
        raise ValidationFailed(
            gettext("a sortie cannot be moved to %(to)s") % {"to": repr(to)}, field="status"
        )
    moment = _moment(at, "at")
    note = (note or "").strip()
    with transaction.atomic():
        sortie = (
            # Only the sortie's row: its crisis must not be locked after it (core.locks).
            Sortie.objects.select_for_update(no_key=True, of=("self",))
            .select_related("crisis", "aircraft")
            .get(pk=sortie.pk)
        )
        require_sortie_action(actor, sortie, action)
        old = sortie.status
        if to == Sortie.Status.DEPARTED:
            _depart(actor, sortie, moment, note)
            sortie.departed_at = moment
        else:
            assert sortie.departed_at is not None
            if moment < sortie.departed_at:
                raise ValidationFailed(gettext("cannot be before the departure"), field="at")
            _arrive(actor, sortie, moment, note)
            sortie.arrived_at = moment
        sortie.status = to
        if note:
            sortie.note = f"{sortie.note}\n{note}".strip()
        sortie.save()
        record(
            actor,
            f"sortie.{to}",
            sortie,
            crisis=sortie.crisis,
            from_state=old,
            to_state=to,
            changes={f"{to}_at": [None, moment.isoformat()]},
            reason=note,
        )
    return sortie


def depart(actor: Any, sortie: Sortie, *, at: datetime | None = None, note: str = "") -> Sortie:
    return move_sortie(actor, sortie, Sortie.Status.DEPARTED, at=at, note=note)


def arrive(actor: Any, sortie: Sortie, *, at: datetime | None = None, note: str = "") -> Sortie:
    return move_sortie(actor, sortie, Sortie.Status.ARRIVED, at=at, note=note)


@contextmanager
def _load_refusal(load: SortieLoad) -> Iterator[None]:
    """A refusal of one load's dispatch or arrival, named by its consignment: the
    whole sortie's move is refused (the transaction rolls back every load)."""
    try:
        yield
    except DomainError as exc:
        raise Conflict(
            gettext("%(consignment)s: %(message)s")
            % {"consignment": load.consignment, "message": exc.message},
            field="loads",
        ) from exc


def _depart(actor: Any, sortie: Sortie, moment: datetime, note: str) -> None:
    # Loads in ascending offer line, so the offer lines' locks (taken by the dispatches)
    # follow the order of core.locks whatever the plan's order of stops.
    loads = (
        sortie.loads.select_for_update(no_key=True, of=("self",))
        .select_related("offer_line")
        .order_by("offer_line_id", "pk")
    )
    for load in loads:
        # The plan's timing shifted to the real departure: what the requester can expect.
        expected = moment + (load.unload_at - sortie.planned_departure)
        with _load_refusal(load):
            if load.source:  # patients of a transfer: the transfer's own departure
                load.dispatch = source_named(load.source).depart(
                    actor,
                    load.source_key,
                    at=moment,
                    expected_at=expected,
                    reference=f"{sortie.reference} {sortie.aircraft.tail}",
                )
                load.save(update_fields=["dispatch"])
                continue
            load.dispatch = dispatch_offer_line(
                actor,
                load.offer_line,
                quantity=load.quantity,
                mode=Dispatch.Mode.AIRLIFT,
                dispatched_at=moment,
                expected_at=expected,
                transport_reference=f"{sortie.reference} {sortie.aircraft.tail}",
                note=note or f"Airlift sortie {sortie.reference}, {load.origin}→{load.destination}",
                by_airlift=True,
            )
        load.save(update_fields=["dispatch"])


def _arrive(actor: Any, sortie: Sortie, moment: datetime, note: str) -> None:
    loads = sortie.loads.select_related(
        "dispatch", "offer_line__offer", "offer_line__item",
        "offer_line__request_line__rfa__requester",
    )  # fmt: skip
    for load in loads:
        dispatch = load.dispatch
        assert dispatch is not None  # set on departure, in the same transaction
        old = dispatch.expected_at
        dispatch.expected_at = moment
        dispatch.save(update_fields=["expected_at"])
        record(
            actor,
            "dispatch.arrival",
            dispatch,
            crisis=sortie.crisis,
            changes={"expected_at": [old.isoformat() if old else None, moment.isoformat()]},
            reason=note or f"sortie {sortie.reference} arrived",
        )
        if load.source:
            # Landed with their medical crew: the transfer's arrival, no receipt to ask.
            with _load_refusal(load):
                source_named(load.source).arrive(actor, load.source_key, at=moment)
            continue
        line: OfferLine = load.offer_line
        if line.request_line is not None:
            notify(
                pocs_of(line.request_line.rfa.requester),
                kind="sortie.arrived",
                subject=partial(_arrival_subject, sortie, load, line),
                body=partial(_arrival_body, sortie, load, line),
                link=f"/api/v1/dispatches/{dispatch.pk}",
                crisis=sortie.crisis,
                exclude=actor,
            )


def _arrival_subject(sortie: Sortie, load: Any, line: OfferLine) -> str:
    return _("%(sortie)s: %(n)s %(item)s arrived at %(airport)s") % {
        "sortie": sortie.reference,
        "n": load.quantity,
        "item": line.item.code,
        "airport": load.destination,
    }


def _arrival_body(sortie: Sortie, load: Any, line: OfferLine) -> str:
    return _(
        "Sortie %(sortie)s (%(tail)s) delivered %(n)s %(item)s of %(ref)s at "
        "%(airport)s. Please confirm what you received."
    ) % {
        "sortie": sortie.reference,
        "tail": sortie.aircraft.tail,
        "n": load.quantity,
        "item": local_name(line.item),
        "ref": line.offer.reference,
        "airport": load.destination,
    }
