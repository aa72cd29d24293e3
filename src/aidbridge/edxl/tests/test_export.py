"""A request through the whole flow, exported: valid, complete, chained, as figured."""

from __future__ import annotations

from collections import Counter
from typing import Any

from lxml import etree

from aidbridge.edxl import export, ids, schemas
from aidbridge.edxl.tests.helpers import kind, parse, payloads, text, texts

WRITTEN = {
    "RequestResource",
    "ResponseToRequestResource",
    "OfferUnsolicitedResource",
    "RequisitionResource",
    "CommitResource",
    "ReleaseResource",
    "RequestReturn",
    "ReportResourceDeploymentStatus",
}


def _feed(users: dict[str, Any], flow: dict[str, Any], who: str = "duty") -> list[etree._Element]:
    crisis = flow["rfa"].crisis
    ctx = export.context(crisis)
    found = export.messages(export.visible_entries(users[who], crisis), ctx)
    return [export.single_envelope(m, crisis) for m in found]


def test_every_message_of_the_flow_validates_against_the_schemas(
    flow: dict[str, Any], users: dict[str, Any]
) -> None:
    envelopes = _feed(users, flow)
    kinds = Counter(kind(payloads(e)[0]) for e in envelopes)
    assert set(kinds) == WRITTEN
    for envelope in envelopes:
        # Serialised and parsed again, as a receiver gets it; by libxml2 and xmlschema.
        received = parse(etree.tostring(envelope))
        assert schemas.validate(received) == []
        assert schemas.validate_thoroughly(received) == []
    assert len(envelopes) == sum(kinds.values()) >= 17


def test_the_request_message_says_what_how_much_where_and_who(
    flow: dict[str, Any], users: dict[str, Any]
) -> None:
    request = payloads(_feed(users, flow)[0])[0]
    assert kind(request) == "RequestResource"
    first = "rmsg:ResourceInformation[1]"
    assert text(request, f"{first}/rmsg:ResourceInfoElementID") == f"{flow['rfa'].reference}/1"
    assert text(request, f"{first}/rmsg:Resource/rmsg:TypeStructure/rm:ValueListURN") == (
        ids.CATALOGUE_URN
    )
    assert text(request, f"{first}/rmsg:Resource/rmsg:TypeStructure/rm:Value") == "VENT-ICU"
    assert text(request, f"{first}/rmsg:Resource/rmsg:Name") == "ICU ventilator"
    quantity = f"{first}/rmsg:AssignmentInformation/rmsg:Quantity/rm:MeasuredQuantity"
    assert text(request, f"{quantity}/rm:Amount") == "150"
    assert text(request, f"{quantity}/rm:UnitOfMeasure/rm:Value") == "piece"
    place = f"{first}/rmsg:ScheduleInformation/rmsg:Location"
    assert text(request, f"{place}/rm:Address/xal:Premises/xal:NameElement") == "LIRF"
    assert text(request, f"{place}/rm:TargetArea/gml:Point/gml:pos").startswith("41.8")
    third = "rmsg:ResourceInformation[3]/rmsg:ScheduleInformation/rmsg:Location"
    assert text(request, f"{third}/rm:TargetArea/gml:Point/gml:pos") == "45.690000 9.670000"
    contact = "rmsg:ContactInformation[rm:ContactRole='Requester']"
    assert text(request, f"{contact}//xnl:PersonName/xnl:NameElement") == "Dr Giulia Rossi"
    assert text(request, "rmsg:IncidentInformation/rm:IncidentID") == "covid-19-2020"


def _by_kind(envelopes: list[etree._Element], name: str) -> list[etree._Element]:
    return [p for e in envelopes for p in payloads(e) if kind(p) == name]


def test_partial_offer_decline_over_acceptance_and_short_receipt_are_said(
    flow: dict[str, Any], users: dict[str, Any]
) -> None:
    envelopes = _feed(users, flow)
    germany = _by_kind(envelopes, "ResponseToRequestResource")[0]
    response = "rmsg:ResourceInformation[1]/rmsg:ResponseInformation"
    assert text(germany, f"{response}/rm:ResponseType") == "Provisional"
    assert text(germany, f"{response}/rm:ResponseReason") == "offers 50 of the 150 requested"
    accepted = [
        text(r, "rmsg:ResourceInformation/rmsg:AssignmentInformation//rm:Amount")
        for r in _by_kind(envelopes, "RequisitionResource")
    ]
    assert accepted == ["30", "60000", "130", "200"]
    spain = _by_kind(envelopes, "RequisitionResource")[2]
    assert text(spain, "rmsg:ResourceInformation//rmsg:Restrictions") == (
        "accepted 10 beyond the need: Reserve for the second wave"
    )
    decline = _by_kind(envelopes, "ReleaseResource")[0]
    assert text(decline, f"{response}/rm:ResponseType") == "Decline"
    assert text(decline, f"{response}/rm:ResponseReason") == "Only 30 can be installed this month"
    assert text(decline, "rmsg:ResourceInformation//rm:Amount") == "20"
    reports = _by_kind(envelopes, "ReportResourceDeploymentStatus")
    statuses = [
        text(r, "rmsg:ResourceInformation//rmsg:DeploymentStatus/rm:Value") for r in reports
    ]
    assert statuses == ["Dispatched", "DeliveredShort", "Dispatched", "Delivered"]
    assert text(reports[1], "rmsg:ResourceInformation//rm:Amount") == "28"
    assert "2 short: Two damaged in transit" in text(reports[1], "rmsg:MessageDescription")
    withdrawal = _by_kind(envelopes, "RequestReturn")[0]
    assert text(withdrawal, "rmsg:ResourceInformation//rm:Amount") == "10"


def test_chains_lead_from_every_message_back_to_the_request(
    flow: dict[str, Any], users: dict[str, Any]
) -> None:
    messages = [payloads(e)[0] for e in _feed(users, flow)]
    by_id = {text(m, "rmsg:MessageID"): m for m in messages}
    request_id = text(messages[0], "rmsg:MessageID")
    assert request_id == text(messages[0], "rmsg:OriginatingMessageID")
    seen: list[str] = []
    for message in messages:
        message_id = text(message, "rmsg:MessageID")
        origin = text(message, "rmsg:OriginatingMessageID")
        preceding = texts(message, "rmsg:PrecedingMessageID")
        if kind(message) == "OfferUnsolicitedResource":
            assert origin == message_id  # standing stock starts its own chain
            continue
        assert origin == request_id
        if kind(message) != "RequestResource":
            assert len(preceding) == 1 and preceding[0] in seen  # answers an earlier one
        seen.append(message_id)
    # The short receipt: receipt -> dispatch -> acceptance -> offer -> request.
    receipt = _by_kind([e for e in _feed(users, flow)], "ReportResourceDeploymentStatus")[1]
    path = [kind(receipt)]
    current = receipt
    while texts(current, "rmsg:PrecedingMessageID"):
        current = by_id[text(current, "rmsg:PrecedingMessageID")]
        path.append(kind(current))
    assert path == [
        "ReportResourceDeploymentStatus",
        "ReportResourceDeploymentStatus",
        "RequisitionResource",
        "ResponseToRequestResource",
        "RequestResource",
    ]


def test_message_ids_are_stable_and_name_their_audit_entry(
    flow: dict[str, Any], users: dict[str, Any]
) -> None:
    first = [etree.tostring(e) for e in _feed(users, flow)]
    again = [etree.tostring(e) for e in _feed(users, flow)]
    assert first == again
    envelope = _feed(users, flow)[0]
    entry = ids.entry_of(text(payloads(envelope)[0], "rmsg:MessageID"))
    assert entry is not None
    assert text(envelope, "de:distributionID") == ids.distribution_id(entry)
