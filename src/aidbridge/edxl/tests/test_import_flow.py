"""Each imported message type does what the same action does through the API: a draft
request, an offer (against a request or standing), an acceptance, a dispatch and a
receipt; the ledger's figures follow. A message sent again changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.edxl.models import ReceivedMessage
from aidbridge.edxl.tests.importing import XmlPoster, message
from aidbridge.ledger.sums import line_figures
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.services import circulate_request, submit_rfa


@pytest.fixture
def send(users: dict[str, Any], items: Any, crisis: Any) -> Any:
    posters: dict[str, XmlPoster] = {}

    def post(name: str, who: str, body: bytes | None = None) -> Any:
        poster = posters.setdefault(who, XmlPoster(users[who]))
        return poster.post(message(name) if body is None else body)

    return post


def _created(response: Any, status: int = 201) -> list[dict[str, Any]]:
    assert response.status_code == status, response.content
    body = response.json()
    return [c for m in body["messages"] for c in m["created"]]


def test_request_resource_becomes_a_draft_of_the_requesting_nation(
    send: Any, users: dict[str, Any]
) -> None:
    created = _created(send("rm-request.xml", "ita"))
    rfa = RequestForAssistance.objects.get(pk=created[0]["id"])
    assert (rfa.requester.code, rfa.status, rfa.title) == (
        "ITA",
        RequestForAssistance.Status.DRAFT,
        "Ventilators and masks for Lombardy",
    )
    assert rfa.created_by == users["ita"]
    lines = list(
        rfa.lines.order_by("position").values_list(
            "item__code", "quantity", "delivery_airport", "specification"
        )
    )
    assert lines == [
        ("VENT-ICU", 150, "LIMC", "invasive, with humidifiers"),
        ("MASK-SURG", 100000, "LIMC", ""),
    ]
    assert str(rfa.lines.get(position=1).needed_by) == "2020-04-01"
    # Through the service: the draft has its audit entries like any other.
    assert AuditEntry.objects.filter(action="rfa.create").count() == 1
    received = ReceivedMessage.objects.get()
    assert (received.message_id, received.sender.code, received.crisis.code) == (
        "ita-system:request:1",
        "ITA",
        "covid-19-2020",
    )


def test_a_replay_is_acknowledged_and_changes_nothing(send: Any) -> None:
    first = send("rm-request.xml", "ita")
    assert first.status_code == 201
    entries = AuditEntry.objects.count()
    again = send("rm-request.xml", "ita")
    assert again.status_code == 200, again.content
    body = again.json()
    assert body["replay"] is True
    assert body["messages"][0]["created"] == first.json()["messages"][0]["created"]
    assert RequestForAssistance.objects.count() == 1
    assert AuditEntry.objects.count() == entries
    assert ReceivedMessage.objects.count() == 1


def test_an_envelope_sent_again_is_a_replay_by_its_distribution_id(send: Any) -> None:
    assert send("de-unsolicited.xml", "tur").status_code == 201
    # Same envelope id, same sender: acknowledged even if the content was re-numbered.
    body = message("de-unsolicited.xml").replace(b"tur-system:offer:1", b"tur-system:offer:9")
    again = send("de-unsolicited.xml", "tur", body)
    assert again.status_code == 200 and again.json()["replay"] is True
    assert Offer.objects.count() == 1


def test_offer_unsolicited_in_an_envelope_is_standing_stock(send: Any) -> None:
    created = _created(send("de-unsolicited.xml", "tur"))
    offer = Offer.objects.get(pk=created[0]["id"])
    assert (offer.donor.code, offer.rfa, created[0]["reference"]) == ("TUR", None, offer.reference)
    assert list(offer.lines.values_list("item__code", "quantity", "request_line")) == [
        ("SUIT-PROT", 2000, None)
    ]
    assert ReceivedMessage.objects.get().distribution_id == "tur-system:distribution:1"


def _circulated(users: dict[str, Any]) -> RequestForAssistance:
    rfa = RequestForAssistance.objects.get()
    submit_rfa(users["ita"], rfa)
    return circulate_request(users["duty"], rfa)


def test_the_whole_flow_moves_the_ledger(send: Any, users: dict[str, Any]) -> None:
    send("rm-request.xml", "ita")
    rfa = _circulated(users)
    vent, masks = RequestLine.objects.filter(rfa=rfa).order_by("position")

    # ResponseToRequestResource: 50 ventilators offered, the masks declined (no line).
    offers = _created(send("rm-response.xml", "deu"))
    offer = Offer.objects.get(pk=offers[0]["id"])
    assert (offer.donor.code, offer.rfa_id, str(offer.available_from)) == (
        "DEU",
        rfa.pk,
        "2020-03-25",
    )
    assert list(offer.lines.values_list("request_line", "quantity")) == [(vent.pk, 50)]
    figures = line_figures(RequestLine.objects.filter(rfa=rfa))
    assert (figures[vent.pk].offered, figures[vent.pk].awaiting) == (50, 50)
    assert figures[masks.pk].offered == 0

    # RequisitionResource: Italy accepts 40 of them.
    accepted = _created(send("rm-requisition.xml", "ita"))
    assert accepted == [
        {
            "kind": "acceptance",
            "offer": offer.reference,
            "offer_line": offer.lines.get().pk,
            "quantity": 40,
        }
    ]
    assert OfferLine.objects.get().accepted == 40

    # ReportResourceDeploymentStatus from the donor: a dispatch by road.
    dispatched = _created(send("rm-dispatch.xml", "deu"))
    dispatch = Dispatch.objects.get(pk=dispatched[0]["id"])
    assert (dispatch.quantity, dispatch.mode, dispatch.transport_reference) == (
        40,
        "road",
        "convoy DE-17",
    )

    # ReportResourceDeploymentStatus from the requester: the receipt, 2 short.
    received = _created(send("rm-receipt.xml", "ita"))
    receipt = Receipt.objects.get(pk=received[0]["id"])
    assert (receipt.dispatch_id, receipt.quantity, receipt.note) == (
        dispatch.pk,
        38,
        "2 damaged in transit",
    )
    line = line_figures(RequestLine.objects.filter(pk=vent.pk))[vent.pk]
    assert (line.requested, line.offered, line.accepted, line.dispatched) == (150, 50, 40, 40)
    assert (line.delivered, line.short_on_arrival, line.outstanding) == (38, 2, 110)


def test_an_offer_against_a_draft_is_refused_by_the_service(send: Any) -> None:
    send("rm-request.xml", "ita")  # a draft: not circulated, so it takes no offer
    response = send("rm-response.xml", "deu")
    assert response.status_code in (403, 404, 409, 422), response.content
    assert Offer.objects.count() == 0
    assert ReceivedMessage.objects.count() == 1


def test_over_acceptance_needs_a_reason_as_through_the_api(
    send: Any, users: dict[str, Any]
) -> None:
    send("rm-request.xml", "ita")
    _circulated(users)
    big = message("rm-response.xml").replace(
        b"<rm:Amount>50</rm:Amount>", b"<rm:Amount>200</rm:Amount>"
    )
    send("rm-response.xml", "deu", big)
    greedy = message("rm-requisition.xml").replace(
        b"<rm:Amount>40</rm:Amount>", b"<rm:Amount>160</rm:Amount>"
    )
    refused = send("rm-requisition.xml", "ita", greedy)
    assert refused.status_code == 422, refused.content
    assert refused.json()["code"] == "over_acceptance"
    assert refused.json()["errors"][0]["field"] == "/RequisitionResource/ResourceInformation[1]"
    assert OfferLine.objects.get().accepted == 0
    reasoned = greedy.replace(
        b"<rmsg:Name>ICU ventilator</rmsg:Name>",
        b"<rmsg:Name>ICU ventilator</rmsg:Name><rmsg:Description>second wave</rmsg:Description>",
    )
    assert send("rm-requisition.xml", "ita", reasoned).status_code == 201
    assert OfferLine.objects.get().accepted == 160
    vent = RequestLine.objects.get(position=1)
    figures = line_figures(RequestLine.objects.filter(pk=vent.pk))[vent.pk]
    assert (figures.accepted, figures.over_accepted, figures.outstanding) == (160, 10, 0)


def test_the_wrong_nation_cannot_accept(send: Any, users: dict[str, Any]) -> None:
    send("rm-request.xml", "ita")
    _circulated(users)
    send("rm-response.xml", "deu")
    body = message("rm-requisition.xml").replace(b">ITA<", b">ESP<")
    response = send("rm-requisition.xml", "esp", body)
    assert response.status_code == 403, response.content
    assert OfferLine.objects.get().accepted == 0


def test_a_response_declining_every_line_is_acknowledged(send: Any, users: dict[str, Any]) -> None:
    send("rm-request.xml", "ita")
    _circulated(users)
    body = message("rm-response.xml").replace(
        b"<rm:ResponseType>Accept</rm:ResponseType>", b"<rm:ResponseType>Decline</rm:ResponseType>"
    )
    response = send("rm-response.xml", "deu", body)
    assert response.status_code == 201, response.content
    answer = response.json()["messages"][0]
    assert (answer["outcome"], answer["created"]) == ("nothing", [])
    assert Offer.objects.count() == 0
