"""The parts of an EDXL-RM 1.0 message aidbridge reads, as plain data with their paths.

The message was parsed safely and validated against its schema before it gets here, so
the structure is the schema's; this only picks out the elements the import maps (each
with its XML path, so a refusal can point at it) and leaves the rest alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from aidbridge.edxl.imports.reading import local, path_of
from aidbridge.edxl.namespaces import GML, RM, RM_MSG, XAL, XNL, XPIL


def _m(name: str) -> str:
    return f"{{{RM_MSG}}}{name}"


def _c(name: str) -> str:
    return f"{{{RM}}}{name}"


def _text(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


@dataclass
class Contact:
    role: str  # Sender, Requester, RespondingOrg, Owner... ("" when not given)
    names: list[str]  # the description, organisation names and identifiers, in order
    path: str


@dataclass
class Quantity:
    amount: float | None  # None: not a number (free QuantityText)
    text: str  # as written
    unit: str  # UnitOfMeasure's value, "" when not given
    path: str


@dataclass
class Schedule:
    kind: str  # ScheduleType: RequestedArrival, ActualDeparture...
    at: datetime | None
    location: str
    path: str
    lat: float | None = None
    lon: float | None = None
    icao: str = ""  # xAL Premises of TypeCode ICAO (how aidbridge writes an airport)


@dataclass
class ResourceInfo:
    element_id: str
    path: str
    preceding_element_id: str = ""
    response_type: str = ""  # Accept, Decline, Provisional ("" when no ResponseInformation)
    response_reason: str = ""
    resource_id: str = ""
    name: str = ""
    value_list_urn: str = ""
    value: str = ""
    type_names: list[str] = field(default_factory=list)  # TypeInfo's texts (e.g. UICDS)
    description: str = ""
    resource_path: str = ""
    deployment_status: str = ""
    special: str = ""  # SpecialRequirements
    keywords: dict[str, str] = field(default_factory=dict)  # ValueListURN -> Value
    quantity: Quantity | None = None
    restrictions: str = ""
    order_id: str = ""
    mode: str = ""  # AssignmentInstructions/ModeOfTransportation
    instructions: str = ""
    schedules: list[Schedule] = field(default_factory=list)


@dataclass
class Message:
    kind: str
    path: str
    message_id: str
    sent_at: datetime | None
    description: str
    originating_id: str
    preceding_id: str
    incident_ids: list[str]
    recall: bool
    contacts: list[Contact]
    resources: list[ResourceInfo]


def _datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _point(location: etree._Element) -> tuple[float | None, float | None]:
    """Latitude and longitude of the first GML point (``gml:pos`` is "lat lon")."""
    for pos in location.iter(f"{{{GML}}}pos"):
        parts = _text(pos).split()
        try:
            return float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            return None, None
    return None, None


def _icao(location: etree._Element) -> str:
    for premises in location.iter(f"{{{XAL}}}Premises"):
        if premises.get(f"{{{XAL}}}TypeCode") == "ICAO":
            return _text(premises.find(f"{{{XAL}}}NameElement"))
    return ""


def _contact(el: etree._Element) -> Contact:
    names = [_text(el.find(_c("ContactDescription")))]
    party = el.find(_c("AdditionalContactInformation"))
    if party is not None:
        names.extend(_text(n) for n in party.iter(f"{{{XPIL}}}Identifier"))
        for organisation in party.iter(f"{{{XNL}}}OrganisationName"):
            names.extend(_text(n) for n in organisation.iter(f"{{{XNL}}}NameElement"))
    return Contact(_text(el.find(_c("ContactRole"))), [n for n in names if n], path_of(el))


def _quantity(el: etree._Element) -> Quantity:
    measured = el.find(_c("MeasuredQuantity"))
    if measured is None:
        text = " ".join(_text(t) for t in el if local(t) == "QuantityText")
        try:
            amount: float | None = float(text)
        except ValueError:
            amount = None
        return Quantity(amount, text, "", path_of(el))
    amount_el = next((c for c in measured if local(c) == "Amount"), None)
    unit_el = next((c for c in measured if local(c) == "UnitOfMeasure"), None)
    unit = ""
    if unit_el is not None:
        unit = next((_text(c) for c in unit_el if local(c) == "Value"), "")
    text = _text(amount_el)
    try:
        amount = float(text)
    except ValueError:
        amount = None
    return Quantity(amount, text, unit, path_of(el))


def _resource(info: ResourceInfo, el: etree._Element) -> None:
    info.resource_path = path_of(el)
    info.resource_id = _text(el.find(_m("ResourceID")))
    info.name = _text(el.find(_m("Name")))
    type_structure = el.find(_m("TypeStructure"))
    if type_structure is not None:
        info.value_list_urn = _text(type_structure.find(_c("ValueListURN")))
        info.value = _text(type_structure.find(_c("Value")))
    type_info = el.find(_m("TypeInfo"))
    if type_info is not None:
        info.type_names = [_text(c) for c in type_info.iter() if c is not type_info and _text(c)]
    info.description = _text(el.find(_m("Description")))
    info.special = _text(el.find(_m("SpecialRequirements")))
    for keyword in el.iterfind(_m("Keyword")):
        info.keywords[_text(keyword.find(_c("ValueListURN")))] = _text(keyword.find(_c("Value")))
    status = el.find(_m("ResourceStatus"))
    if status is not None:
        deployment = status.find(_m("DeploymentStatus"))
        if deployment is not None:
            info.deployment_status = _text(deployment.find(_c("Value")))


def _resource_info(el: etree._Element) -> ResourceInfo:
    info = ResourceInfo(_text(el.find(_m("ResourceInfoElementID"))), path_of(el))
    response = el.find(_m("ResponseInformation"))
    if response is not None:
        info.preceding_element_id = _text(response.find(_c("PrecedingResourceInfoElementID")))
        info.response_type = _text(response.find(_c("ResponseType")))
        info.response_reason = _text(response.find(_c("ResponseReason")))
    resource = el.find(_m("Resource"))
    if resource is not None:
        _resource(info, resource)
    assignment = el.find(_m("AssignmentInformation"))
    if assignment is not None:
        quantity = assignment.find(_m("Quantity"))
        if quantity is not None:
            info.quantity = _quantity(quantity)
        info.restrictions = _text(assignment.find(_m("Restrictions")))
        info.order_id = _text(assignment.find(_m("OrderID")))
        instructions = assignment.find(_m("AssignmentInstructions"))
        if instructions is not None:
            info.mode = _text(instructions.find(_c("ModeOfTransportation")))
            info.instructions = _text(instructions.find(_c("ReportingInstructions")))
    for schedule in el.iterfind(_m("ScheduleInformation")):
        location = schedule.find(_m("Location"))
        info.schedules.append(
            Schedule(
                _text(schedule.find(_m("ScheduleType"))),
                _datetime(_text(schedule.find(_m("DateTime")))),
                _text(location.find(_c("LocationDescription"))) if location is not None else "",
                path_of(schedule),
                *(_point(location) if location is not None else (None, None)),
                _icao(location) if location is not None else "",
            )
        )
    return info


def read_message(el: etree._Element) -> Message:
    """The message ``el`` (an EDXL-RM root, schema-valid) as a ``Message``."""
    return Message(
        kind=local(el),
        path=path_of(el),
        message_id=_text(el.find(_m("MessageID"))),
        sent_at=_datetime(_text(el.find(_m("SentDateTime")))),
        description=_text(el.find(_m("MessageDescription"))),
        originating_id=_text(el.find(_m("OriginatingMessageID"))),
        preceding_id=_text(el.find(_m("PrecedingMessageID"))),
        incident_ids=[
            _text(i.find(_c("IncidentID")))
            for i in el.iterfind(_m("IncidentInformation"))
            if _text(i.find(_c("IncidentID")))
        ],
        recall=el.find(_m("MessageRecall")) is not None,
        contacts=[_contact(c) for c in el.iterfind(_m("ContactInformation"))],
        resources=[_resource_info(r) for r in el.iterfind(_m("ResourceInformation"))],
    )
