"""The COVID-19 scenario of spring 2020, as data.

Built from NATO's press releases of April and May 2020 and public reporting: Italy,
Spain, Czechia, France, Bulgaria, Montenegro and North Macedonia ask; Germany, Türkiye,
the United States, Austria, the Netherlands, France, Czechia and Luxembourg offer.
Quantities are rounded and partly illustrative; the shape (who asked whom for what, who
answered, what was flown and by whom) follows what was reported.

Every state the clearing-house knows appears at least once: drafts, a submitted and a
returned request, circulated requests partly covered, requests closed (fulfilled,
overtaken, withdrawn); offer lines open, accepted, partly accepted, declined and
withdrawn; dispatches in transit and delivered, one with a shortfall; unsolicited offers.
``loader.py`` plays this through the services, so the audit trail and the notifications
are the ones real users would have produced.
"""

# ruff: noqa: E501  (tables of scenario data read better one record a line)

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from aidbridge.accounts.models import Role

CRISIS_CODE = "covid-19-2020"


@dataclass(frozen=True)
class CrisisSpec:
    code: str
    name_en: str
    name_fr: str
    started_on: date
    description: str


CRISIS = CrisisSpec(
    code=CRISIS_CODE,
    name_en="COVID-19 pandemic 2020",
    name_fr="Pandémie de COVID-19 (2020)",
    started_on=date(2020, 3, 11),
    description=(
        "Requests for assistance received by the centre from Allies and partners during "
        "the first wave of the COVID-19 pandemic: ventilators, protective equipment, "
        "disinfectant, transfers of intensive-care patients and airlift."
    ),
)

# Every demo account signs in with this password (documented in README.md).
DEMO_PASSWORD = "aidbridge-demo-2020"


@dataclass(frozen=True)
class DemoUser:
    username: str
    party: str
    role: str
    first_name: str
    last_name: str
    language: str = "en"
    does: str = ""


USERS: tuple[DemoUser, ...] = (
    DemoUser("duty", "EADRCC", Role.CENTRE_OFFICER, "Anna", "Berg", does="validates, circulates, closes"),
    DemoUser("head", "EADRCC", Role.CENTRE_HEAD, "Pierre", "Lambert", does="approves sitreps; everything the duty officer does"),
    DemoUser("airlift", "EADRCC", Role.AIRLIFT_COORDINATOR, "Tomas", "Varga", does="plans and tracks sorties"),
    DemoUser("ocha", "UN-OCHA", Role.OBSERVER, "Sara", "Haddad", does="reads what is circulated"),
    DemoUser("ita-poc", "ITA", Role.NATIONAL_POC, "Giulia", "Rossi", "en", "requests (Italy)"),
    DemoUser("esp-poc", "ESP", Role.NATIONAL_POC, "Carmen", "García", "en", "requests (Spain)"),
    DemoUser("cze-poc", "CZE", Role.NATIONAL_POC, "Jan", "Novák", "en", "requests and offers (Czechia)"),
    DemoUser("fra-poc", "FRA", Role.NATIONAL_POC, "Camille", "Martin", "fr", "requests and offers (France)"),
    DemoUser("bgr-poc", "BGR", Role.NATIONAL_POC, "Ivan", "Petrov", "en", "requests airlift (Bulgaria)"),
    DemoUser("mne-poc", "MNE", Role.NATIONAL_POC, "Milica", "Vuković", "en", "requests (Montenegro)"),
    DemoUser("mkd-poc", "MKD", Role.NATIONAL_POC, "Elena", "Stojanovska", "en", "requests (North Macedonia)"),
    DemoUser("deu-poc", "DEU", Role.NATIONAL_POC, "Lukas", "Schmidt", "en", "offers (Germany)"),
    DemoUser("tur-poc", "TUR", Role.NATIONAL_POC, "Ayşe", "Yılmaz", "en", "offers (Türkiye)"),  # noqa: RUF001 (Turkish dotless i)
    DemoUser("usa-poc", "USA", Role.NATIONAL_POC, "John", "Miller", "en", "offers (United States)"),
    DemoUser("aut-poc", "AUT", Role.NATIONAL_POC, "Anna", "Gruber", "en", "offers (Austria)"),
    DemoUser("nld-poc", "NLD", Role.NATIONAL_POC, "Daan", "de Vries", "en", "offers (Netherlands)"),
    DemoUser("lux-poc", "LUX", Role.NATIONAL_POC, "Marie", "Weber", "fr", "offers (Luxembourg)"),
)  # fmt: skip


def at(day: str, hour: int = 12) -> datetime:
    """A UTC time in 2020: ``at("03-28", 9)`` is 28 March 2020, 09:00Z."""
    month, dom = (int(p) for p in day.split("-"))
    return datetime(2020, month, dom, hour, tzinfo=UTC)


def d(day: str) -> date:
    month, dom = (int(p) for p in day.split("-"))
    return date(2020, month, dom)


@dataclass(frozen=True)
class Receipt:
    quantity: int
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Dispatch:
    quantity: int
    mode: str  # logistics.Dispatch.Mode
    at: datetime
    reference: str = ""
    note: str = ""
    receipt: Receipt | None = None  # None: still in transit


@dataclass(frozen=True)
class OfferLine:
    line: int  # index of the request line it answers
    quantity: int
    accept: int | None = None  # None: awaiting the requester's decision
    decline: str = ""  # a reason: the requester declines the (rest of the) line
    withdraw: str = ""  # a reason: the donor withdraws the line before a decision
    dispatches: tuple[Dispatch, ...] = ()


@dataclass(frozen=True)
class Offer:
    donor: str
    lines: tuple[OfferLine, ...]
    available_from: date | None = None
    origin_airport: str = ""
    own_transport: bool = False
    conditions: str = ""
    made: datetime | None = None  # None: the day before available_from (``timetable``)


@dataclass(frozen=True)
class Line:
    item: str
    quantity: int
    priority: int = 2
    needed_by: date | None = None
    airport: str = ""
    place: str = ""
    transport_needed: bool = False
    specification: str = ""
    # A patient-transfer line's detail: (bed type, origin region, ventilated, isolation).
    transfer: tuple[str, str, bool, bool] | None = None


@dataclass(frozen=True)
class Rfa:
    requester: str
    title: str
    situation: str
    lines: tuple[Line, ...]
    # draft | submitted | returned | circulated | closed | withdrawn
    stage: str = "circulated"
    reason: str = ""  # for a return, a closure or a withdrawal
    closure: str = ""  # requests.RequestForAssistance.Closure, when stage == "closed"
    offers: tuple[Offer, ...] = ()
    contact: tuple[str, str, str] = ("", "", "")  # name, e-mail, phone
    entry_notes: str = ""
    sent: datetime | None = None  # when the nation submitted it (drafted an hour before)
    ended: datetime | None = None  # closure or withdrawal; None: a day after its last event


@dataclass(frozen=True)
class Unsolicited:
    donor: str
    lines: tuple[tuple[str, int], ...]  # (item code, quantity)
    conditions: str
    available_from: date | None = None
    origin_airport: str = ""
    own_transport: bool = False
    made: datetime | None = None  # None: the day before available_from


@dataclass(frozen=True)
class Scenario:
    rfas: tuple[Rfa, ...]
    unsolicited: tuple[Unsolicited, ...] = field(default=())
