"""The demo's open transfer wave flown by MEDEVAC: the centre accepts the matching, the
airlift coordinator plans the MEDEVAC transfers, and only the Luftwaffe's A310 MedEvac
(10+27) carries them; its sorties' departure and arrival are the transfers'."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.airlift.models import Aircraft, Sortie
from aidbridge.airlift.services import approve_airlift_plan, arrive, depart, request_airlift_plan
from aidbridge.crises.models import Crisis
from aidbridge.demo.loader import load_demo
from aidbridge.hospitals.matching import accept_run, request_matching
from aidbridge.hospitals.matching_selectors import patient_figures
from aidbridge.hospitals.models import ProposedTransfer
from aidbridge.runs.models import RunStatus
from aidbridge.runs.tests.helpers import committed

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_open_wave_medevac_transfers_fly_only_on_the_medevac_aircraft(
    django_user_model: Any,
) -> None:
    load_demo()
    users = {
        u.username: u for u in django_user_model.objects.filter(username__in=["duty", "airlift"])
    }
    crisis = Crisis.objects.get()
    medevac = Aircraft.objects.get(tail="10+27")
    assert medevac.capabilities == ["medevac"] and medevac.base == "EDDK"
    assert [a.tail for a in Aircraft.objects.all() if a.capabilities] == ["10+27"]

    with committed():
        matching = request_matching(users["duty"], crisis)
    matching.refresh_from_db()
    assert matching.status == RunStatus.DONE, matching.error
    accept_run(users["duty"], matching)
    flights = list(ProposedTransfer.objects.filter(run=matching, mode="air"))
    assert flights, "the open wave proposes MEDEVAC flights"

    run = request_airlift_plan(users["airlift"], crisis, time_limit_s=3.0)
    assert run.status == RunStatus.DONE, run.error
    assert run.violations == [] and run.output is not None
    patients = {c["id"]: c for c in run.input["consignments"] if c.get("requires") == ["medevac"]}
    assert {run.lines[cid]["source_key"] for cid in patients} == {str(t.pk) for t in flights}
    carriers = {
        cid: s["aircraft"]
        for s in run.output["sorties"]
        for stop in s["stops"]
        for cid in stop.get("load", [])
    }
    flown = {cid for cid in patients if cid in carriers}
    assert flown, run.output["unassigned"]
    assert {carriers[cid] for cid in flown} == {"10+27"}
    # Cargo may fly on any aircraft; no other aircraft took a patient.
    assert all(plane == "10+27" for cid, plane in carriers.items() if cid in patients)

    before = patient_figures(crisis)
    sorties = approve_airlift_plan(users["duty"], run)
    medevac_sortie = next(s for s in sorties if s.aircraft.tail == "10+27")
    # Flown now: the demo's beds were offered and accepted at load time, after the plan's
    # nominal 2020 times (the wave's dates), so the sortie leaves at the real time.
    depart(users["airlift"], medevac_sortie)
    aboard = {int(load.source_key) for load in medevac_sortie.loads.all()}
    assert aboard and aboard <= {t.pk for t in flights}
    for t in ProposedTransfer.objects.filter(pk__in=aboard):
        assert t.stage == "departed" and t.dispatch is not None
        assert t.dispatch.mode == "airlift"
    arrive(users["airlift"], medevac_sortie)
    assert Sortie.objects.get(pk=medevac_sortie.pk).status == "arrived"
    for t in ProposedTransfer.objects.filter(pk__in=aboard).select_related("dispatch__receipt"):
        assert t.stage == "arrived" and t.dispatch is not None
        assert t.dispatch.receipt.quantity == t.patients
    # "Patients transferred" (the ledger's delivered patients) counts them.
    landed = sum(t.patients for t in ProposedTransfer.objects.filter(pk__in=aboard))
    assert patient_figures(crisis).delivered == before.delivered + landed
