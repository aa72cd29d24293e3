"""From proposal to accepted aid: the centre proposes, the donor confirms, the requester
accepts through the normal flow; every refusal is clear and writes nothing."""

from __future__ import annotations

from typing import Any

from aidbridge.allocations.models import ProposedLine
from aidbridge.allocations.tests.test_runs_api import by_need, start
from aidbridge.audit.models import AuditEntry
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.proposals import Draw, propose_drawn_offers


def _lines(run: dict[str, Any], need: str) -> list[dict[str, Any]]:
    return by_need(run)[need]["lines"]


def _picture_line(api: Any, crisis: Any, rfa: Any, item: str) -> dict[str, Any]:
    rows = api("ocha").get(f"/crises/{crisis.code}/picture").json()["lines"]["items"]
    return next(r for r in rows if r["rfa_reference"] == rfa.reference and r["item"] == item)


def test_proposal_to_offer_to_confirmation_to_acceptance(api, crisis, house) -> None:
    ita, deu = house["ita"], house["deu"]
    run = start(api, crisis)
    vent = _lines(run, f"{ita.reference}/1")[0]
    made = api("duty").post(f"/allocation-runs/{run['id']}/offers", {"proposals": [vent["id"]]})
    assert made.status_code == 201, made.json()
    (line,) = made.json()
    assert (line["status"], line["quantity"], line["pending"]) == ("proposed", 100, 0)
    assert line["request_line"] == ita.lines.get(position=1).pk
    offer = api("duty").get(f"/offers/{line['offer']}").json()
    assert (offer["donor"], offer["status"], offer["rfa"]) == ("DEU", "proposed", ita.pk)
    assert OfferLine.objects.get(pk=line["id"]).drawn_from_id == deu["lines"][0]["id"]
    assert Notification.objects.filter(kind="offer.proposed", recipient__username="deu-poc")
    # The proposal is not offered by anyone yet, and Italy cannot accept it.
    assert _picture_line(api, crisis, ita, "VENT-ICU")["offered"] == 0
    early = api("ita").post(f"/offer-lines/{line['id']}/accept", {})
    assert early.status_code == 409 and early.json()["code"] == "not_confirmed"
    # Only Germany answers for Germany.
    for who in ("duty", "ita", "esp"):
        assert api(who).post(f"/offers/{line['offer']}/confirm").status_code == 403, who
    confirmed = api("deu").post(f"/offers/{line['offer']}/confirm")
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "open"
    assert Notification.objects.filter(kind="offer.new", recipient__username="ita-poc")
    again = api("deu").post(f"/offers/{line['offer']}/confirm")
    assert again.status_code == 409
    # Italy accepts through the normal flow; the picture moves.
    accepted = api("ita").post(f"/offer-lines/{line['id']}/accept", {"quantity": 100})
    assert accepted.status_code == 200, accepted.json()
    figures = _picture_line(api, crisis, ita, "VENT-ICU")
    assert (figures["offered"], figures["accepted"], figures["outstanding"]) == (100, 100, 50)
    assert list(
        AuditEntry.objects.filter(target_id=line["id"], action__startswith="offer_line.")
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    ) == [
        ("offer_line.propose", "", "proposed"),
        ("offer_line.confirm", "proposed", "open"),
        ("offer_line.accept", "open", "accepted"),
    ]
    # A new run sees what happened: Italy's ventilators are now covered as far as they
    # can be, and Germany's ventilators are spent.
    rerun = start(api, crisis)
    assert by_need(rerun)[f"{ita.reference}/1"]["quantity"] == 50
    assert all(ln["supply"] != f"{deu['reference']}/1" for n in rerun["needs"] for ln in n["lines"])


def test_the_donor_declines_and_the_stock_is_free_again(api, crisis, house) -> None:
    ita = house["ita"]
    run = start(api, crisis)
    vent = _lines(run, f"{ita.reference}/1")[0]
    line = (
        api("duty")
        .post(f"/allocation-runs/{run['id']}/offers", {"proposals": [vent["id"]]})
        .json()[0]
    )
    assert api("ita").post(f"/offers/{line['offer']}/decline-proposal", {}).status_code == 403
    declined = api("deu").post(
        f"/offers/{line['offer']}/decline-proposal", {"reason": "Needed at home"}
    )
    assert declined.status_code == 200, declined.json()
    assert declined.json()["status"] == "withdrawn"
    assert Notification.objects.filter(kind="offer.proposal_declined", recipient__username="duty")
    rerun = start(api, crisis)
    assert by_need(rerun)[f"{ita.reference}/1"]["proposed"] == 100


def test_only_the_centre_turns_proposals_into_offers(api, crisis, house) -> None:
    run = start(api, crisis)
    ids = [ln["id"] for n in run["needs"] for ln in n["lines"]]
    for who in ("ita", "deu", "ocha"):
        refused = api(who).post(f"/allocation-runs/{run['id']}/offers", {"proposals": ids})
        assert refused.status_code == 403, who
    assert Offer.objects.filter(rfa__isnull=False).count() == 0


def test_bad_selections_are_refused_and_write_nothing(api, crisis, users, house) -> None:
    ita, esp, deu = house["ita"], house["esp"], house["deu"]
    run = start(api, crisis)
    ita_vent = _lines(run, f"{ita.reference}/1")[0]["id"]
    esp_vent = _lines(run, f"{esp.reference}/1")[0]["id"]
    duty = api("duty")
    offers_before = Offer.objects.count()
    turned = 0

    def refused(body: Any, status: int, run_id: int = run["id"]) -> dict[str, Any]:
        response = duty.post(f"/allocation-runs/{run_id}/offers", body)
        assert response.status_code == status, response.json()
        assert Offer.objects.count() == offers_before
        assert ProposedLine.objects.filter(offer_line__isnull=False).count() == turned
        return response.json()

    twice = refused({"proposals": [ita_vent, esp_vent, ita_vent]}, 422)
    assert twice["errors"] == [
        {"field": "proposals", "message": f"proposed lines selected more than once: {ita_vent}"}
    ]
    assert "999999" in refused({"proposals": [ita_vent, 999999]}, 422)["detail"]
    assert refused({"proposals": []}, 422)["errors"][0]["field"] == "proposals"
    assert refused({"proposals": ["x"]}, 422)["errors"][0]["field"] == "proposals.0"
    assert refused({"proposals": [ita_vent]}, 404, run_id=999)["errors"][0]["field"] == "id"
    # Meanwhile the centre draws 20 of Germany's ventilators for Spain by hand.
    propose_drawn_offers(
        users["duty"],
        [Draw(standing=deu["lines"][0]["id"], need=esp.lines.get().pk, quantity=20)],
    )
    offers_before = Offer.objects.count()
    stale = refused({"proposals": [ita_vent]}, 409)
    assert stale["code"] == "stock_drawn"
    assert stale["detail"].endswith("has 80 units left, 100 were selected")
    # ... which also leaves Spain missing only 30 of the 50 the run proposed.
    changed = refused({"proposals": [esp_vent]}, 409)
    assert changed["code"] == "need_changed"
    assert changed["detail"] == f"{esp.reference}/1 now misses only 30 units, 50 were selected"
    # A line already turned into an offer cannot be turned twice.
    assert (
        duty.post(
            f"/allocation-runs/{run['id']}/offers",
            {"proposals": [_lines(run, f"{ita.reference}/2")[0]["id"]]},
        ).status_code
        == 201
    )
    offers_before = Offer.objects.count()
    response = duty.post(
        f"/allocation-runs/{run['id']}/offers",
        {"proposals": [_lines(run, f"{ita.reference}/2")[0]["id"]]},
    )
    assert response.status_code == 409 and "already turned" in response.json()["detail"]
    assert Offer.objects.count() == offers_before
