"""The EDXL-DE 1.0 envelope around one or more EDXL-RM messages (or CAP alerts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from aidbridge.edxl import ids
from aidbridge.edxl import namespaces as ns
from aidbridge.edxl.rm import stamp
from aidbridge.edxl.xmltext import xml_safe

_D = ns.DE
# The marking aidbridge's data carries (as on its sitreps): releasable, not sensitive.
CONFIDENTIALITY = "UNCLASSIFIED"


@dataclass(frozen=True, slots=True)
class Distribution:
    distribution_id: str
    sender_code: str
    sent: datetime
    distribution_type: str  # Report | Update | Cancel | Request | Response | ...
    crisis_code: str
    crisis_name: str
    recipients: tuple[str, ...] = ()  # party codes, when known
    recipient_role: str = ""
    status: str = "Actual"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{_D}}}{name}")
    if text is not None:
        element.text = xml_safe(text)
    return element


def _value_list(parent: etree._Element, name: str, urn: str, values: Sequence[str]) -> None:
    holder = _sub(parent, name)
    _sub(holder, "valueListUrn", urn)
    for value in values:
        _sub(holder, "value", value)


def envelope(
    distribution: Distribution, payloads: Sequence[tuple[str, etree._Element]]
) -> etree._Element:
    """``EDXLDistribution`` with one ``contentObject`` per ``(description, payload)``.

    The keywords name the crisis by code and name, so a receiver can route the envelope
    without opening its content; the recipients are explicit party addresses where the
    message has known addressees, and a role otherwise (a circulated request goes to
    every national point of contact).
    """
    root = etree.Element(f"{{{_D}}}EDXLDistribution", nsmap={"de": _D})
    _sub(root, "distributionID", distribution.distribution_id)
    _sub(root, "senderID", ids.sender_id(distribution.sender_code))
    _sub(root, "dateTimeSent", stamp(distribution.sent))
    _sub(root, "distributionStatus", distribution.status)
    _sub(root, "distributionType", distribution.distribution_type)
    _sub(root, "combinedConfidentiality", CONFIDENTIALITY)
    _sub(root, "language", "en")
    _value_list(root, "senderRole", ids.PARTY_SCHEME, [distribution.sender_code])
    if distribution.recipient_role:
        _value_list(root, "recipientRole", ids.ROLE_URN, [distribution.recipient_role])
    _value_list(root, "keyword", ids.CRISIS_URN, [distribution.crisis_code])
    _value_list(root, "keyword", f"{ids.CRISIS_URN}:name", [distribution.crisis_name])
    if distribution.recipients:
        address = _sub(root, "explicitAddress")
        _sub(address, "explicitAddressScheme", ids.PARTY_SCHEME)
        for code in distribution.recipients:
            _sub(address, "explicitAddressValue", code)
    for description, payload in payloads:
        content = _sub(root, "contentObject")
        _sub(content, "contentDescription", description)
        _sub(content, "incidentID", distribution.crisis_code)
        _sub(content, "incidentDescription", distribution.crisis_name)
        _sub(content, "confidentiality", CONFIDENTIALITY)
        xml = _sub(content, "xmlContent")
        _sub(xml, "embeddedXMLContent").append(payload)
    return root


def serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
