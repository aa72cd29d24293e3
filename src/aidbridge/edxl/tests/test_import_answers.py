"""Answers: declines, withdrawals, and a national system answering aidbridge's own
circulated request by the ids aidbridge wrote (``edxl.ids``)."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from aidbridge.edxl import namespaces as ns
from aidbridge.edxl.ondemand import rfa_chain
from aidbridge.edxl.tests.importing import XmlPoster, message
from aidbridge.ledger.sums import line_figures
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.services import circulate_request, create_rfa, submit_rfa


@pytest.fixture
def send(users: dict[str, Any], items: Any, crisis: Any) -> Any:
    def post(name: str, who: str, body: bytes | None = None) -> Any:
        return XmlPoster(users[who]).post(message(name) if body is None else body)

    return post


@pytest.fixture
def offered(send: Any, users: dict[str, Any]) -> OfferLine:
    """Italy's imported request, circulated here, and Germany's imported offer of 50."""
    assert send("rm-request.xml", "ita").status_code == 201
    rfa = RequestForAssistance.objects.get()
    submit_rfa(users["ita"], rfa)
    circulate_request(users["duty"], rfa)
    assert send("rm-response.xml", "deu").status_code == 201
    return OfferLine.objects.get()


def test_release_resource_declines_offered_units(send: Any, offered: OfferLine) -> None:
    response = send("rm-decline.xml", "ita")
    assert response.status_code == 201, response.content
    offered.refresh_from_db()
    assert (offered.declined, offered.pending) == (10, 40)
    need = offered.request_line
    assert need is not None
    assert line_figures(RequestLine.objects.filter(pk=need.pk))[need.pk].offered == 40


def test_a_decline_needs_a_reason_as_through_the_api(send: Any, offered: OfferLine) -> None:
    body = message("rm-decline.xml").replace(
        b"<rm:ResponseReason>only 40 can be installed</rm:ResponseReason>", b""
    )
    response = send("rm-decline.xml", "ita", body)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "/ReleaseResource/ResourceInformation[1]"
    offered.refresh_from_db()
    assert offered.declined == 0


def test_request_return_withdraws_the_offer_line(send: Any, offered: OfferLine) -> None:
    response = send("rm-return.xml", "deu")
    assert response.status_code == 201, response.content
    offered.refresh_from_db()
    assert offered.status == OfferLine.Status.WITHDRAWN


def test_only_the_donor_takes_its_offer_back(send: Any, offered: OfferLine) -> None:
    body = message("rm-return.xml").replace(b">DEU<", b">ITA<")
    assert send("rm-return.xml", "ita", body).status_code == 403
    offered.refresh_from_db()
    assert offered.status != OfferLine.Status.WITHDRAWN


def test_release_resource_withdraws_the_request(send: Any, offered: OfferLine) -> None:
    response = send("rm-withdraw.xml", "ita")
    assert response.status_code == 201, response.content
    rfa = RequestForAssistance.objects.get()
    assert (rfa.status, rfa.closure) == (
        RequestForAssistance.Status.CLOSED,
        RequestForAssistance.Closure.WITHDRAWN,
    )
    offered.refresh_from_db()
    assert offered.declined == 50  # the withdrawal settled what awaited a decision


def test_a_release_closing_the_request_is_the_receiving_centres_decision(
    send: Any, offered: OfferLine
) -> None:
    body = message("rm-withdraw.xml").replace(
        b"<rm:Value>Withdrawn</rm:Value>", b"<rm:Value>Closed</rm:Value>"
    )
    response = send("rm-withdraw.xml", "ita", body)
    assert response.status_code == 422
    assert response.json()["code"] == "not_imported"
    assert RequestForAssistance.objects.get().status == RequestForAssistance.Status.CIRCULATED


def test_a_national_system_answers_aidbridges_own_request(
    send: Any, users: dict[str, Any], crisis: Any, items: Any
) -> None:
    rfa = create_rfa(
        users["ita"],
        crisis=crisis,
        title="Ventilators",
        lines=[
            {"item": "VENT-ICU", "quantity": 100, "delivery_airport": "LIRF"},
            {"item": "MASK-SURG", "quantity": 5000, "delivery_airport": "LIRF"},
        ],
    )
    submit_rfa(users["ita"], rfa)
    rfa = circulate_request(users["duty"], rfa)
    envelope = rfa_chain(users["deu"], rfa.pk)
    request = envelope.find(f".//{{{ns.RM_MSG}}}RequestResource")
    assert request is not None
    message_id = request.findtext(f"{{{ns.RM_MSG}}}MessageID", "")
    elements = [e.text or "" for e in request.iter(f"{{{ns.RM_MSG}}}ResourceInfoElementID")]
    assert elements == [f"{rfa.reference}/1", f"{rfa.reference}/2"]
    body = (
        message("rm-response.xml")
        .replace(b"ita-system:request:1", message_id.encode())
        .replace(
            b"<rm:PrecedingResourceInfoElementID>1<",
            f"<rm:PrecedingResourceInfoElementID>{elements[0]}<".encode(),
        )
        .replace(
            b"<rm:PrecedingResourceInfoElementID>2<",
            f"<rm:PrecedingResourceInfoElementID>{elements[1]}<".encode(),
        )
    )
    response = send("rm-response.xml", "deu", body)
    assert response.status_code == 201, response.content
    offer = Offer.objects.get()
    assert offer.rfa_id == rfa.pk
    assert list(offer.lines.values_list("request_line__position", "quantity")) == [(1, 50)]
    assert etree.QName(request).localname == "RequestResource"


def test_an_answer_to_a_request_the_importer_may_not_see_is_unknown(
    send: Any, users: dict[str, Any], crisis: Any, items: Any
) -> None:
    """A draft is its nation's own: answering its (guessed) id reveals nothing."""
    assert send("rm-request.xml", "ita").status_code == 201  # a draft of Italy
    response = send("rm-response.xml", "deu")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "unknown_request"
    assert Offer.objects.count() == 0
