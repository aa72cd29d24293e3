"""What one EDXL-RM message says, as plain data, before it becomes XML.

The mapping (``flow.py``) reads aidbridge's objects and the audit trail into these
parts; the writer (``rm.py``) turns them into elements. Keeping the two apart lets the
writer enforce, per message type, which elements the schema allows, while the mapping
only decides what each aidbridge action means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Place:
    """A place by airport (ICAO) and/or coordinates, with a human description."""

    description: str = ""
    icao: str = ""
    lat: float | None = None
    lon: float | None = None
    country: str = ""  # ISO 3166-1 alpha-3 of the nation the place is in, when known


@dataclass(frozen=True, slots=True)
class Contact:
    """A party and, when known, its person (CIQ names), phone and e-mail."""

    role: str  # ContactRole: Sender, Requester, RespondingOrg, Owner, Approver...
    organisation: str  # the party's English name
    party_code: str
    person: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Schedule:
    kind: str  # ScheduleType (RequestedArrival, BeginAvailable, ActualDeparture, ...)
    at: datetime | date | None = None
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """ResponseInformation: which resource element it answers, how, and why."""

    preceding_element: str
    kind: str  # Accept | Decline | Provisional
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ResourcePart:
    """One ResourceInformation: a catalogue item, a quantity, where and when."""

    element_id: str
    item_code: str
    item_name: str
    unit: str
    quantity: int | None = None
    description: str = ""
    priority: int | None = None
    special: str = ""
    response: Response | None = None
    responsible: Contact | None = None
    status: str = ""  # DeploymentStatus value (aidbridge's list)
    order_id: str = ""
    restrictions: str = ""
    schedules: tuple[Schedule, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    """One EDXL-RM message and what its envelope needs to know about it."""

    kind: str  # the RM root element, e.g. "RequestResource"
    message_id: str
    sent: datetime
    originating_id: str
    preceding_id: str | None
    incident_id: str
    incident_name: str
    contacts: tuple[Contact, ...]
    resources: tuple[ResourcePart, ...]
    description: str = ""
    funding: str = ""
    recall: tuple[str, str] | None = None  # (RecallMessageID, Update|Cancel)
    # Envelope: who sends, to whom (party codes), DE distributionType.
    sender_code: str = ""
    recipients: tuple[str, ...] = ()
    recipient_role: str = ""
    distribution_type: str = "Report"
    # The audit entry the message comes from (None for a message built on demand).
    entry_id: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
