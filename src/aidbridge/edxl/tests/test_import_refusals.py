"""Every kind of bad message is refused with a 4xx naming what is wrong, and nothing is
written: not XML, a DTD or entities, a wrong namespace, a schema error (with the
schema's own path), another standard, an unknown crisis, party or item, the wrong
account, and a message about a request the receiver does not know."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aidbridge.audit.models import AuditEntry
from aidbridge.edxl.models import ReceivedMessage
from aidbridge.edxl.tests.importing import XmlPoster, example, message
from aidbridge.offers.models import Offer
from aidbridge.requests.models import RequestForAssistance

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rmsg:RequestResource xmlns:rmsg="urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"
>&lol9;</rmsg:RequestResource>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rmsg:RequestResource xmlns:rmsg="urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"
>&secret;</rmsg:RequestResource>
"""


@pytest.fixture
def post(users: dict[str, Any], items: Any, crisis: Any) -> Callable[..., Any]:
    def send(body: bytes | str, who: str = "ita", **kwargs: Any) -> Any:
        return XmlPoster(users[who]).post(body, **kwargs)

    return send


def _nothing_written() -> None:
    assert ReceivedMessage.objects.count() == 0
    assert RequestForAssistance.objects.count() == 0
    assert Offer.objects.count() == 0
    assert not AuditEntry.objects.exists()


def _refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["errors"], body
    _nothing_written()
    return body


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"ventilators, 150", b"<RequestResource>", b"\xff\xfe<a/>", b'{"x": 1}'],
)
def test_not_xml_is_a_400(post: Callable[..., Any], body: bytes) -> None:
    answer = _refused(post(body), 400, "not_xml")
    assert "XML" in answer["detail"] or "empty" in answer["detail"]


def test_a_truncated_document_names_where_it_breaks(post: Callable[..., Any]) -> None:
    body = message("rm-request.xml")[:-60]
    answer = _refused(post(body), 400, "not_xml")
    assert "line" in answer["detail"]


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_a_dtd_or_entities_are_refused_before_expansion(
    post: Callable[..., Any], body: bytes
) -> None:
    answer = _refused(post(body), 400, "xml_dtd")
    assert "DTD" in answer["detail"]


def test_wrong_namespace(post: Callable[..., Any]) -> None:
    body = message("rm-request.xml").replace(
        b"urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg", b"urn:example:rm"
    )
    answer = _refused(post(body), 422, "wrong_namespace")
    assert answer["errors"][0]["field"] == "/RequestResource"
    assert "urn:example:rm" in answer["detail"]


def test_common_types_in_the_message_namespace_fail_the_schema(post: Callable[..., Any]) -> None:
    # Sahana Eden's mistake: the common types (rm:) written in the message namespace.
    body = message("rm-request.xml").replace(
        b'xmlns:rm="urn:oasis:names:tc:emergency:EDXL:RM:1.0"',
        b'xmlns:rm="urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"',
    )
    answer = _refused(post(body), 422, "schema_invalid")
    assert answer["errors"][0]["field"].startswith("/RequestResource/")


def test_schema_invalid_gives_the_schemas_own_path(post: Callable[..., Any]) -> None:
    body = message("rm-request.xml").replace(
        b"<rmsg:MessageContentType>RequestResource</rmsg:MessageContentType>", b""
    )
    answer = _refused(post(body), 422, "schema_invalid")
    assert answer["errors"][0]["field"] == "/RequestResource"
    assert "MessageContentType" in answer["errors"][0]["message"]


def test_schema_invalid_inside_an_envelope_points_into_the_content_object(
    post: Callable[..., Any],
) -> None:
    body = message("de-unsolicited.xml").replace(
        b"<rm:Amount>2000</rm:Amount>", b"<rm:Amount>many</rm:Amount>"
    )
    answer = _refused(post(body, who="tur"), 422, "schema_invalid")
    assert answer["errors"][0]["field"] == (
        "/EDXLDistribution/contentObject[1]/xmlContent[1]/embeddedXMLContent[1]"
        "/OfferUnsolicitedResource[1]/ResourceInformation[1]/AssignmentInformation[1]"
        "/Quantity[1]/MeasuredQuantity[1]/Amount[1]"
    )


def test_unknown_item_gives_the_near_miss_candidates(post: Callable[..., Any]) -> None:
    body = message("rm-request.xml").replace(b"Surgical mask", b"Surgical masks")
    answer = _refused(post(body), 422, "unknown_item")
    error = answer["errors"][0]
    assert error["field"] == "/RequestResource/ResourceInformation[2]/Resource[1]"
    assert "did you mean MASK-SURG" in error["message"]


def test_unknown_code_in_the_catalogue_value_list(post: Callable[..., Any]) -> None:
    body = message("rm-request.xml").replace(
        b"<rm:Value>VENT-ICU</rm:Value>", b"<rm:Value>VENT-XX</rm:Value>"
    )
    answer = _refused(post(body), 422, "unknown_item")
    assert "VENT-XX" in answer["errors"][0]["message"]
    assert "urn:aidbridge:catalogue:1" in answer["errors"][0]["message"]


def test_unknown_party(post: Callable[..., Any]) -> None:
    body = message("rm-request.xml").replace(
        b"<rm:ContactDescription>ITA</rm:ContactDescription>",
        b"<rm:ContactDescription>Atlantis</rm:ContactDescription>",
    )
    answer = _refused(post(body), 422, "unknown_party")
    assert answer["errors"][0]["field"] == "/RequestResource/ContactInformation[1]"
    assert "'Atlantis'" in answer["detail"]


def test_unknown_crisis(post: Callable[..., Any]) -> None:
    body = message("rm-request.xml").replace(b"covid-19-2020", b"flood-2014")
    answer = _refused(post(body), 422, "unknown_crisis")
    assert "flood-2014" in answer["detail"]


def test_every_problem_of_a_message_is_listed(post: Callable[..., Any]) -> None:
    body = (
        message("rm-request.xml")
        .replace(b"covid-19-2020", b"flood-2014")
        .replace(b"Surgical mask", b"Tent")
        .replace(b">ITA<", b">Atlantis<")
    )
    answer = _refused(post(body), 422, "unknown_party")
    codes = [e["field"] for e in answer["errors"]]
    assert codes == [
        "/RequestResource/ContactInformation[1]",
        "/RequestResource/IncidentInformation[1]/IncidentID[1]",
        "/RequestResource/ResourceInformation[2]/Resource[1]",
    ]


def test_another_nations_account_cannot_import_its_request(post: Callable[..., Any]) -> None:
    answer = _refused(post(message("rm-request.xml"), who="deu"), 403, "forbidden")
    assert "ITA" in answer["detail"] and "DEU" in answer["detail"]


def test_the_centre_does_not_draft_for_a_nation(post: Callable[..., Any]) -> None:
    _refused(post(message("rm-request.xml"), who="duty"), 403, "forbidden")


def test_a_response_to_a_request_the_receiver_does_not_know(post: Callable[..., Any]) -> None:
    answer = _refused(post(message("rm-response.xml"), who="deu"), 422, "unknown_request")
    assert "ita-system:request:1" in answer["detail"]
    assert answer["errors"][0]["field"] == "/ResponseToRequestResource/PrecedingMessageID[1]"


@pytest.mark.parametrize("name", ["rm-requisition.xml", "rm-dispatch.xml", "rm-receipt.xml"])
def test_movements_about_unknown_messages(post: Callable[..., Any], name: str) -> None:
    who = "deu" if "dispatch" in name else "ita"
    _refused(post(message(name), who=who), 422, "unknown_request")


def test_content_type_must_be_xml(post: Callable[..., Any]) -> None:
    _refused(
        post(message("rm-request.xml"), content_type="application/json"),
        415,
        "unsupported_media_type",
    )


def test_anonymous_is_refused(items: Any, crisis: Any) -> None:
    response = XmlPoster(None).post(message("rm-request.xml"))
    assert response.status_code == 401
    _nothing_written()


# --- the other implementation's examples (edxl/tests/examples) ---------------------


def test_example_request_resource_is_refused_with_every_reason(post: Callable[..., Any]) -> None:
    """UICDS's track dozers for Arlington: a valid message naming a party, an incident
    and a NIMS resource type that aidbridge does not know."""
    answer = _refused(post(example("edxl-rm-1.0_RequestResource.xml")), 422, "unknown_party")
    messages = [e["message"] for e in answer["errors"]]
    assert "unknown party 'Arlington Fire Station'" in messages[0]
    assert "no crisis 'uicds-incident-id'" in messages[1]
    assert "http://nimsonline.org/2.0" in messages[2]
    assert "unknown item 'Track Dozer'" in messages[2]


def test_example_commit_resource_answers_a_request_unknown_here(
    post: Callable[..., Any],
) -> None:
    """UICDS's commitment of two dozers answers its own RequestResource.1, which never
    reached this aidbridge: refused as about an unknown request."""
    answer = _refused(post(example("edxl-rm-1.0_CommitResource.xml")), 422, "unknown_request")
    assert "'RequestResource.1'" in answer["detail"]
    assert answer["errors"][0]["field"] == "/CommitResource/PrecedingMessageID[1]"


def test_example_hospital_status_is_not_modelled(post: Callable[..., Any]) -> None:
    body = example("edxl-de-1.0_wrapping_have-1.0_HospitalStatus.xml")
    answer = _refused(post(body), 422, "not_imported")
    assert answer["errors"][0]["field"].startswith("/EDXLDistribution/contentObject[1]/")
    assert "EDXL-HAVE" in answer["detail"]
    assert "/api/v1/have/hospital-status" in answer["detail"]


def test_example_cap_alert_is_not_imported(post: Callable[..., Any]) -> None:
    answer = _refused(post(example("cap-1.2_amber_alert_example.xml")), 422, "not_imported")
    assert "CAP 1.2 alert" in answer["detail"]


def test_a_foreign_payload_in_an_envelope_is_a_wrong_namespace(post: Callable[..., Any]) -> None:
    body = message("de-unsolicited.xml").replace(
        b'xmlns:rmsg="urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"',
        b'xmlns:rmsg="urn:example:offers"',
    )
    answer = _refused(post(body, who="tur"), 422, "wrong_namespace")
    assert answer["errors"][0]["field"] == (
        "/EDXLDistribution/contentObject[1]/xmlContent[1]/embeddedXMLContent[1]"
        "/OfferUnsolicitedResource[1]"
    )
