"""Transfer matching runs through the real task path (queued at commit, run by the
task backend) and the HTTP API: the input read from the ledger, the proposal with its
reasons, acceptance producing accepted offer lines the ledger counts."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.hospitals.matching_input import build_input
from aidbridge.hospitals.models import TransferMatchingRun
from aidbridge.hospitals.tests.matching_fixtures import scene
from aidbridge.ledger.sums import line_figures
from aidbridge.offers import services as offer_services
from aidbridge.offers.models import OfferLine
from aidbridge.requests.models import RequestLine
from aidbridge.runs.tests.helpers import committed


def start(api: Any, crisis: Any) -> dict[str, Any]:
    with committed():
        response = api("duty").post(f"/crises/{crisis.code}/transfer-matching-runs")
        assert response.status_code == 202, response.json()
        assert response.json()["status"] == "queued"
    return api("duty").get(f"/transfer-matching-runs/{response.json()['id']}").json()


def test_the_input_takes_outstanding_patients_from_the_ledger(
    users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    s = scene(users, crisis, hospitals)
    # Italy accepts 1 bed of Germany's offer itself: 5 patients remain outstanding, and
    # only 4 of the offer's 5 beds are still undecided.
    offer_services.accept_offer_line(users["ita"], s["to_ita"], 1)
    built = build_input(crisis)
    figures = line_figures(RequestLine.objects.filter(pk__in=[s["ita_line"].pk, s["fra_line"].pk]))
    needs = {n.id: n for n in built.problem.needs}
    ita_ref = f"{s['ita'].reference}/1"
    assert needs[ita_ref].count == figures[s["ita_line"].pk].outstanding == 5
    assert needs[f"{s['fra'].reference}/1"].count == figures[s["fra_line"].pk].outstanding == 4
    assert (needs[ita_ref].region, needs[ita_ref].ventilated) == ("Lombardy", True)
    offers = {o.id: o for o in built.problem.offers}
    ita_offers = [o for o in offers.values() if o.only_for == frozenset({ita_ref})]
    assert sum(o.beds for o in ita_offers) == s["to_ita"].quantity - 1
    assert {o.hospital for o in ita_offers} == {
        hospitals["dresden"].name,
        hospitals["leipzig"].name,
    }
    assert all(built.offer_rows[o.id][0] == s["to_ita"].pk for o in ita_offers)


def test_a_run_proposes_and_the_centre_accepts(
    api: Any, users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    s = scene(users, crisis, hospitals)
    run = start(api, crisis)
    assert run["status"] == "done", run["error"]
    assert run["check_ok"] is True
    needs = {n["need"]: n for n in run["needs"]}
    ita = needs[f"{s['ita'].reference}/1"]
    fra = needs[f"{s['fra'].reference}/1"]
    # Each need only gets the beds offered against it: 5 of 6 and 2 of 4.
    assert (ita["count"], ita["matched"], ita["short"]) == (6, 5, 1)
    assert (fra["count"], fra["matched"], fra["short"]) == (4, 2, 2)
    assert ita["reason_code"] and ita["reason"]
    assert {t["hospital_name"] for t in ita["transfers"]} == {
        hospitals["dresden"].name,
        hospitals["leipzig"].name,
    }
    # Bergamo to Saxony is beyond an ambulance's range: a MEDEVAC flight.
    assert {t["mode"] for t in ita["transfers"]} == {"air"}
    assert api("duty").get(f"/transfer-matching-runs/{run['id']}/check").json() == {
        "ok": True,
        "problems": [],
    }
    # A nation neither sees nor accepts the centre's runs.
    assert api("ita").post(f"/transfer-matching-runs/{run['id']}/accept").status_code == 403

    accepted = api("duty").post(f"/transfer-matching-runs/{run['id']}/accept")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["accepted_by"] == "duty"
    to_ita = OfferLine.objects.get(pk=s["to_ita"].pk)
    to_fra = OfferLine.objects.get(pk=s["to_fra"].pk)
    assert (to_ita.accepted, to_ita.status) == (5, "accepted")
    assert (to_fra.accepted, to_fra.pending) == (2, 0)
    figures = line_figures(RequestLine.objects.filter(pk__in=[s["ita_line"].pk, s["fra_line"].pk]))
    assert (figures[s["ita_line"].pk].accepted, figures[s["ita_line"].pk].outstanding) == (5, 1)
    assert (figures[s["fra_line"].pk].accepted, figures[s["fra_line"].pk].outstanding) == (2, 2)
    # Once only.
    again = api("duty").post(f"/transfer-matching-runs/{run['id']}/accept")
    assert again.status_code == 409 and again.json()["code"] == "already_accepted"


def test_accepting_leaves_unused_beds_undecided(
    api: Any, users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    s = scene(users, crisis, hospitals)
    # Italy's need shrinks to 2 outstanding: it accepts 4 patients on another offer.
    other = offer_services.make_offer(
        users["cze"],
        rfa=s["ita"],
        lines=[{"request_line": s["ita_line"].pk, "quantity": 4}],
    ).lines.get()
    offer_services.accept_offer_line(users["ita"], other, 4)
    run = start(api, crisis)
    ita = {n["need"]: n for n in run["needs"]}[f"{s['ita'].reference}/1"]
    assert (ita["count"], ita["matched"]) == (2, 2)
    assert api("duty").post(f"/transfer-matching-runs/{run['id']}/accept").status_code == 200
    line = OfferLine.objects.get(pk=s["to_ita"].pk)
    # 2 accepted, the other 3 beds neither accepted nor declined: still to decide.
    assert (line.accepted, line.declined, line.pending, line.status) == (2, 0, 3, "open")


def test_acceptance_is_refused_whole_when_an_offer_was_withdrawn(
    api: Any, users: Any, crisis: Any, pat_icu: Any, hospitals: Any
) -> None:
    s = scene(users, crisis, hospitals)
    run = start(api, crisis)
    offer_services.withdraw_offer_line(users["deu"], s["to_fra"], "beds needed at home")
    refused = api("duty").post(f"/transfer-matching-runs/{run['id']}/accept")
    assert refused.status_code == 409, refused.json()
    assert OfferLine.objects.get(pk=s["to_ita"].pk).accepted == 0
    assert TransferMatchingRun.objects.get(pk=run["id"]).accepted_at is None


@pytest.mark.parametrize("who", ["ita", None])
def test_only_the_centre_starts_a_run(api: Any, crisis: Any, who: str | None) -> None:
    answer = api(who).post(f"/crises/{crisis.code}/transfer-matching-runs")
    assert answer.status_code in (401, 403)
    assert not TransferMatchingRun.objects.exists()
