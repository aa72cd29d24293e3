"""Tracking accepted transfers through the API: a departure is a dispatch of the bed
offer line (by the receiving nation or the centre), an arrival its receipt confirmed
by the requesting nation; the ledger's figures move accordingly ("patients
transferred" is the delivered figure of the patient-transfer lines)."""

from __future__ import annotations

from typing import Any

from aidbridge.hospitals.matching_selectors import patient_figures
from aidbridge.hospitals.models import ProposedTransfer
from aidbridge.hospitals.tests.matching_fixtures import scene
from aidbridge.hospitals.tests.test_matching_runs import start
from aidbridge.logistics.models import Dispatch


def test_a_transfer_departs_and_arrives(
    api: Any, users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    scene(users, crisis, hospitals)
    run = start(api, crisis)
    dresden = ProposedTransfer.objects.get(run_id=run["id"], hospital=hospitals["dresden"])
    # Not before the matching is accepted.
    early = api("deu").post(f"/proposed-transfers/{dresden.pk}/depart", {})
    assert early.status_code == 409 and early.json()["code"] == "not_accepted"
    assert api("duty").post(f"/transfer-matching-runs/{run['id']}/accept").status_code == 200
    before = patient_figures(crisis)
    assert (before.requested, before.accepted, before.delivered) == (10, 7, 0)
    stages = {
        t["hospital_name"]: t["stage"]
        for n in api("duty").get(f"/transfer-matching-runs/{run['id']}").json()["needs"]
        for t in n["transfers"]
    }
    assert set(stages.values()) == {"planned"}

    # The requesting nation may not report the departure; the receiving nation does.
    assert api("ita").post(f"/proposed-transfers/{dresden.pk}/depart", {}).status_code == 403
    left = api("deu").post(
        f"/proposed-transfers/{dresden.pk}/depart", {"carrier": "Luftwaffe A310 MedEvac"}
    )
    assert left.status_code == 201, left.json()
    assert (left.json()["stage"], left.json()["patients"]) == ("departed", 3)
    dispatch = Dispatch.objects.get(pk=left.json()["dispatch"])
    assert (dispatch.quantity, dispatch.mode, dispatch.carrier) == (
        3,
        "airlift",
        "Luftwaffe A310 MedEvac",
    )
    again = api("deu").post(f"/proposed-transfers/{dresden.pk}/depart", {})
    assert again.status_code == 409 and again.json()["code"] == "already_departed"
    moving = patient_figures(crisis)
    assert (moving.dispatched, moving.in_transit, moving.delivered) == (3, 3, 0)

    # Only the requesting nation confirms the arrival.
    assert api("deu").post(f"/proposed-transfers/{dresden.pk}/arrive", {}).status_code == 403
    arrived = api("ita").post(f"/proposed-transfers/{dresden.pk}/arrive", {})
    assert arrived.status_code == 201, arrived.json()
    assert arrived.json()["stage"] == "arrived"
    after = patient_figures(crisis)
    assert (after.in_transit, after.delivered) == (0, 3)


def test_an_undeparted_transfer_cannot_arrive(
    api: Any, users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    scene(users, crisis, hospitals)
    run = start(api, crisis)
    api("duty").post(f"/transfer-matching-runs/{run['id']}/accept")
    transfer = ProposedTransfer.objects.filter(run_id=run["id"]).first()
    assert transfer is not None
    answer = api("ita").post(f"/proposed-transfers/{transfer.pk}/arrive", {})
    assert answer.status_code == 409 and answer.json()["code"] == "not_departed"
    assert patient_figures(crisis).delivered == 0


def test_patients_transferred_show_on_the_dashboard_and_in_sitreps(
    api: Any, users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    from django.test import Client

    from aidbridge.sitreps.render import render_html
    from aidbridge.sitreps.services import draft_sitrep

    scene(users, crisis, hospitals)
    run = start(api, crisis)
    api("duty").post(f"/transfer-matching-runs/{run['id']}/accept")
    dresden = ProposedTransfer.objects.get(run_id=run["id"], hospital=hospitals["dresden"])
    api("deu").post(f"/proposed-transfers/{dresden.pk}/depart", {})
    api("ita").post(f"/proposed-transfers/{dresden.pk}/arrive", {})

    client = Client()
    client.force_login(users["duty"])
    dashboard = client.get(f"/crises/{crisis.code}/").content.decode()
    figure = dashboard.split('data-testid="patients-transferred"', 1)[1].split("</div>", 1)[0]
    assert "<dd>3</dd>" in figure and "of 10 requested, 7 accepted, 0 on their way" in figure

    sitrep = draft_sitrep(users["duty"], crisis)
    english = render_html(sitrep, "en")
    assert "Patient transfers: 3 patients transferred of 10 requested (7 accepted)." in english
    french = render_html(sitrep, "fr")
    assert "Transferts de patients : 3 patients transférés sur 10 demandés" in french
