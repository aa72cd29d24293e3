"""Writing EDXL-RM 1.0 messages with lxml, from ``parts.Message``.

Message elements are in the ``msg`` namespace and the common types' children in the
RM namespace (``rmsg:Quantity/rm:MeasuredQuantity``), CIQ names in xNL/xPIL, places in
xAL and GML: each namespace is the one its XSD declares, never a guess. The element
order is each message schema's sequence; ``_FEATURES`` says which optional parts a type
has, so a part a message type does not define is left out rather than written invalid.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from lxml import etree

from aidbridge.edxl import ids
from aidbridge.edxl import namespaces as ns
from aidbridge.edxl.parts import Contact, Message, Place, ResourcePart, Schedule
from aidbridge.edxl.xmltext import xml_safe

_M, _R = ns.RM_MSG, ns.RM

# Per message type: has PrecedingMessageID, ResponseInformation, ResponsibleParty,
# ResourceStatus, OrderID (the "short" AssignmentInformation of the later messages).
_FEATURES: dict[str, frozenset[str]] = {
    "RequestResource": frozenset({"special"}),
    "ResponseToRequestResource": frozenset({"preceding", "response", "responsible", "status"}),
    "OfferUnsolicitedResource": frozenset({"responsible", "status"}),
    "RequisitionResource": frozenset({"preceding", "responsible", "funding"}),
    "CommitResource": frozenset({"preceding", "response", "responsible", "status", "order"}),
    "ReleaseResource": frozenset({"preceding", "response", "responsible", "status", "order"}),
    "RequestReturn": frozenset({"preceding", "responsible", "status", "order"}),
    "ReportResourceDeploymentStatus": frozenset(
        {"preceding", "response", "responsible", "status", "order"}
    ),
    "RequestResourceDeploymentStatus": frozenset({"preceding", "responsible", "order"}),
}
WRITTEN_TYPES = tuple(_FEATURES)


def _sub(
    parent: etree._Element, namespace: str, name: str, text: str | None = None
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    if text is not None:
        element.text = xml_safe(text)
    return element


def stamp(value: datetime | date) -> str:
    """xsd:dateTime in UTC with an explicit ``Z``; a date is read as its midnight UTC."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _value_list(parent: etree._Element, namespace: str, name: str, urn: str, value: str) -> None:
    holder = _sub(parent, namespace, name)
    _sub(holder, _R, "ValueListURN", urn)
    _sub(holder, _R, "Value", value)


def _contact(parent: etree._Element, namespace: str, name: str, contact: Contact) -> None:
    holder = _sub(parent, namespace, name)
    _sub(holder, _R, "ContactDescription", f"{contact.organisation} ({contact.party_code})")
    _sub(holder, _R, "ContactRole", contact.role)
    party = _sub(holder, _R, "AdditionalContactInformation")
    names = _sub(party, ns.XPIL, "PartyName")
    if contact.person:
        person = _sub(names, ns.XNL, "PersonName")
        _sub(person, ns.XNL, "NameElement", contact.person)
    org = _sub(names, ns.XNL, "OrganisationName")
    _sub(org, ns.XNL, "NameElement", contact.organisation)
    if contact.phone:
        numbers = _sub(party, ns.XPIL, "ContactNumbers")
        number = _sub(numbers, ns.XPIL, "ContactNumber")
        _sub(number, ns.XPIL, "ContactNumberElement", contact.phone)
    if contact.email:
        addresses = _sub(party, ns.XPIL, "ElectronicAddressIdentifiers")
        address = _sub(addresses, ns.XPIL, "ElectronicAddressIdentifier", contact.email)
        address.set(f"{{{ns.XPIL}}}Type", "EMAIL")


def _location(parent: etree._Element, namespace: str, name: str, place: Place) -> None:
    holder = _sub(parent, namespace, name)
    description = place.description or place.icao
    if description:
        _sub(holder, _R, "LocationDescription", description)
    if place.icao or place.country:
        address = _sub(holder, _R, "Address")
        if place.country:
            country = _sub(address, ns.XAL, "Country")
            code = _sub(country, ns.XAL, "NameElement", place.country)
            # CIQ attributes are namespace-qualified (attributeFormDefault="qualified").
            code.set(f"{{{ns.XAL}}}NameCode", place.country)
            code.set(f"{{{ns.XAL}}}NameCodeType", "ISO 3166-1 alpha-3")
        if place.icao:
            premises = _sub(address, ns.XAL, "Premises")
            premises.set(f"{{{ns.XAL}}}Type", "Airport")
            premises.set(f"{{{ns.XAL}}}TypeCode", "ICAO")
            _sub(premises, ns.XAL, "NameElement", place.icao)
    if place.lat is not None and place.lon is not None:
        area = _sub(holder, _R, "TargetArea")
        point = _sub(area, ns.GML, "Point")
        _sub(point, ns.GML, "pos", f"{place.lat:.6f} {place.lon:.6f}")


def _schedule(parent: etree._Element, schedule: Schedule) -> None:
    holder = _sub(parent, _M, "ScheduleInformation")
    _sub(holder, _M, "ScheduleType", schedule.kind)
    if schedule.at is not None:
        _sub(holder, _M, "DateTime", stamp(schedule.at))
    if schedule.place is not None:
        _location(holder, _M, "Location", schedule.place)


def _resource(parent: etree._Element, kind: str, part: ResourcePart) -> None:
    features = _FEATURES[kind]
    info = _sub(parent, _M, "ResourceInformation")
    _sub(info, _M, "ResourceInfoElementID", part.element_id)
    if "response" in features and part.response is not None:
        response = _sub(info, _M, "ResponseInformation")
        _sub(response, _R, "PrecedingResourceInfoElementID", part.response.preceding_element)
        _sub(response, _R, "ResponseType", part.response.kind)
        if part.response.reason:
            _sub(response, _R, "ResponseReason", part.response.reason)
    resource = _sub(info, _M, "Resource")
    _sub(resource, _M, "Name", part.item_name)
    _value_list(resource, _M, "TypeStructure", ids.CATALOGUE_URN, part.item_code)
    if part.priority is not None:
        _value_list(resource, _M, "Keyword", ids.PRIORITY_URN, str(part.priority))
    if part.description:
        _sub(resource, _M, "Description", part.description)
    if "special" in features and part.special:
        _sub(resource, _M, "SpecialRequirements", part.special)
    if "responsible" in features and part.responsible is not None:
        _contact(resource, _M, "ResponsibleParty", part.responsible)
    if "status" in features and part.status:
        status = _sub(resource, _M, "ResourceStatus")
        _value_list(status, _M, "DeploymentStatus", ids.DEPLOYMENT_STATUS_URN, part.status)
    if part.quantity is not None:
        assignment = _sub(info, _M, "AssignmentInformation")
        quantity = _sub(assignment, _M, "Quantity")
        measured = _sub(quantity, _R, "MeasuredQuantity")
        _sub(measured, _R, "Amount", str(part.quantity))
        unit = _sub(measured, _R, "UnitOfMeasure")
        _sub(unit, _R, "ValueListURN", ids.UNITS_URN)
        _sub(unit, _R, "Value", part.unit)
        if "order" in features:
            if part.order_id:
                _sub(assignment, _M, "OrderID", part.order_id)
        elif part.restrictions:
            _sub(assignment, _M, "Restrictions", part.restrictions)
    for schedule in part.schedules:
        _schedule(info, schedule)


def build(message: Message) -> etree._Element:
    """The message's root element (``rmsg:<kind>``), ready to embed or serialise."""
    kind = message.kind
    features = _FEATURES[kind]
    root = etree.Element(f"{{{_M}}}{kind}", nsmap=ns.NSMAP)
    _sub(root, _M, "MessageID", message.message_id)
    _sub(root, _M, "SentDateTime", stamp(message.sent))
    _sub(root, _M, "MessageContentType", kind)
    if message.description:
        _sub(root, _M, "MessageDescription", message.description)
    _sub(root, _M, "OriginatingMessageID", message.originating_id)
    if "preceding" in features and message.preceding_id:
        _sub(root, _M, "PrecedingMessageID", message.preceding_id)
    incident = _sub(root, _M, "IncidentInformation")
    _sub(incident, _R, "IncidentID", message.incident_id)
    _sub(incident, _R, "IncidentDescription", message.incident_name)
    if message.recall is not None:
        recall = _sub(root, _M, "MessageRecall")
        _sub(recall, _R, "RecallMessageID", message.recall[0])
        _sub(recall, _R, "RecallType", message.recall[1])
    if "funding" in features or message.funding:
        funding = _sub(root, _M, "Funding")
        _sub(funding, _R, "FundingInfo", message.funding or "Assistance in kind")
    for contact in message.contacts:
        _contact(root, _M, "ContactInformation", contact)
    for part in message.resources:
        _resource(root, kind, part)
    return root
