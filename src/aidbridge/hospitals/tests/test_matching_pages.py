"""The transfers page through Django's test client: the centre starts a run (its task
sent at commit), reads the proposal with the reasons of the shortfalls in English or
French, and accepts it; nations are kept out."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aidbridge.accounts.models import Profile
from aidbridge.hospitals.models import TransferMatchingRun
from aidbridge.hospitals.tests.matching_fixtures import scene
from aidbridge.offers.models import OfferLine
from aidbridge.runs.tests.helpers import committed


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_centre_starts_reads_and_accepts_on_the_page(
    users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    s = scene(users, crisis, hospitals)
    duty = _client(users["duty"])
    page = f"/crises/{crisis.code}/transfers/"
    assert "No transfer matching run yet" in duty.get(page).content.decode()
    with committed():
        started = duty.post(page)
    assert started.status_code == 302
    run = TransferMatchingRun.objects.get()
    assert started["Location"] == f"{page}?run={run.pk}"
    html = duty.get(started["Location"]).content.decode()
    assert "Done" in html
    assert "5 patients to" not in html  # per hospital, not per need
    assert f"3 patients to {hospitals['dresden'].name} (DEU)" in html
    assert f"2 patients to {hospitals['leipzig'].name} (DEU)" in html
    assert "MEDEVAC flight" in html
    assert "Compatible beds" in html or "No bed of this type" in html
    assert f"/transfer-matching-runs/{run.pk}/accept/" in html

    accepted = duty.post(f"/transfer-matching-runs/{run.pk}/accept/", follow=True)
    assert "7 patient transfers accepted" in accepted.content.decode()
    assert OfferLine.objects.get(pk=s["to_ita"].pk).accepted == 5
    after = duty.get(f"{page}?run={run.pk}").content.decode()
    assert f"/transfer-matching-runs/{run.pk}/accept/" not in after
    dresden = run.transfers.get(hospital=hospitals["dresden"])
    assert f"/proposed-transfers/{dresden.pk}/depart/" in after

    # The centre records the departure for the receiving nation: 3 patients on their way.
    left = duty.post(f"/proposed-transfers/{dresden.pk}/depart/", {"carrier": "Luftwaffe"})
    assert left.status_code == 302
    dresden.refresh_from_db()
    assert dresden.dispatch is not None and dresden.dispatch.carrier == "Luftwaffe"
    html = duty.get(f"{page}?run={run.pk}").content.decode()
    assert f"/proposed-transfers/{dresden.pk}/depart/" not in html
    assert "Patients on their way</dt><dd>3</dd>" in html


def test_the_page_speaks_french(users: Any, crisis: Any, pat_icu: Any, hospitals: Any) -> None:
    scene(users, crisis, hospitals)
    Profile.objects.filter(user=users["duty"]).update(language="fr")
    duty = _client(users["duty"])
    with committed():
        started = duty.post(f"/crises/{crisis.code}/transfers/")
    html = duty.get(started["Location"]).content.decode()
    assert "Transferts de patients" in html
    assert "(MEDEVAC)" in html and "Vol d" in html
    assert f"3 patients vers {hospitals['dresden'].name} (DEU)" in html
    assert "Accepter les transferts proposés" in html


def test_nations_are_kept_out(users: Any, crisis: Any) -> None:
    ita = _client(users["ita"])
    assert ita.get(f"/crises/{crisis.code}/transfers/").status_code == 403
    assert ita.post(f"/crises/{crisis.code}/transfers/").status_code == 403
    assert not TransferMatchingRun.objects.exists()
