"""The RFA detail shows each line's figures from the consolidated picture."""

from __future__ import annotations

from aidbridge.logistics.services import confirm_receipt, dispatch_offer_line
from aidbridge.offers.models import OfferLine
from aidbridge.offers.services import accept_offer_line, decline_offer_line, make_offer
from aidbridge.requests.models import RequestForAssistance, RequestLine


def test_line_figures_follow_offers_acceptance_dispatch_and_receipt(api, users, circulated) -> None:
    rfa_json = circulated("ita")
    rfa = RequestForAssistance.objects.get(pk=rfa_json["id"])
    vents, masks = RequestLine.objects.filter(rfa=rfa).order_by("position")
    assert rfa_json["lines"][0]["figures"] == {
        "requested": 150,
        "offered": 0,
        "awaiting": 0,
        "open": 0,
        "accepted": 0,
        "declined": 0,
        "dispatched": 0,
        "in_transit": 0,
        "delivered": 0,
        "short_on_arrival": 0,
        "over_accepted": 0,
        "outstanding": 150,
        "coverage": 0.0,
    }

    german = make_offer(users["deu"], rfa=rfa, lines=[{"request_line": vents, "quantity": 50}])
    turkish = make_offer(
        users["tur"],
        rfa=rfa,
        lines=[
            {"request_line": vents, "quantity": 30},
            {"request_line": masks, "quantity": 200_000},
        ],
    )
    de_line = OfferLine.objects.get(offer=german)
    tr_vents, tr_masks = OfferLine.objects.filter(offer=turkish).order_by("id")
    accept_offer_line(users["ita"], de_line, 50)
    accept_offer_line(users["ita"], tr_masks, 150_000)
    decline_offer_line(users["ita"], tr_masks, "enough for now")
    dispatch = dispatch_offer_line(users["deu"], de_line, quantity=50, mode="airlift")
    confirm_receipt(users["ita"], dispatch, quantity=48, note="2 damaged in transit")

    detail = api("ocha").get(f"/rfas/{rfa.pk}").json()
    vent_figures, mask_figures = (line["figures"] for line in detail["lines"])
    assert vent_figures == {
        "requested": 150,
        "offered": 80,
        "awaiting": 30,
        "open": 30,
        "accepted": 50,
        "declined": 0,
        "dispatched": 50,
        "in_transit": 0,
        "delivered": 48,
        "short_on_arrival": 2,
        "over_accepted": 0,
        "outstanding": 100,
        "coverage": round(50 / 150, 4),
    }
    assert (mask_figures["accepted"], mask_figures["outstanding"]) == (150_000, 850_000)
    assert detail["figures"]["requested"] == 1_000_150
    assert detail["figures"]["accepted"] == 150_050
    assert detail["figures"]["delivered"] == 48
    assert tr_vents.pending == 30
