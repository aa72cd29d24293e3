"""EDXL-HAVE 1.0 ``HospitalStatus`` in and out.

In: a bare ``HospitalStatus`` or one inside an EDXL-DE 1.0 envelope, read safely and
validated by the ``edxl`` app's code (``edxl.imports.reading.parse``, ``edxl.schemas.validate``:
envelope and payload each against its own schema). Each ``Hospital`` is matched to the
registry by its organisation name (and country, when given); each ``BedCapacity`` with
one ``BedType`` and an ``AvailableCount`` (or ``CapacityStatus`` NotAvailable) becomes a
bed report. Every problem is collected with its XML path and the whole document is
refused if there is any: nothing is written for an invalid, stale or unmappable report.

Out: the centre's known capacity, one ``Hospital`` per registered hospital with its
current reports, bare or in an EDXL-DE envelope for a crisis (``edxl.envelope``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from lxml import etree

from aidbridge.core.errors import DomainError
from aidbridge.crises.models import Crisis
from aidbridge.edxl import ids, schemas
from aidbridge.edxl import namespaces as ns
from aidbridge.edxl.envelope import Distribution, envelope
from aidbridge.edxl.imports.errors import MessageRefused, Problem
from aidbridge.edxl.imports.reading import parse
from aidbridge.edxl.schemas import element_path
from aidbridge.edxl.xmltext import xml_safe
from aidbridge.hospitals import services
from aidbridge.hospitals.actions import manage_refusal
from aidbridge.hospitals.models import BedReport, Hospital
from aidbridge.hospitals.selectors import current_reports
from aidbridge.parties.models import Party

H, XNL, XAL, XPIL, GML = ns.HAVE, ns.XNL, ns.XAL, ns.XPIL, ns.GML
GEO = ns.GEO_OASIS
NSMAP = {"have": H, "xnl": XNL, "xal": XAL, "xpil": XPIL, "gml": GML, "geo-oasis": GEO}


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _text(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


@dataclass
class Imported:
    """What an import did: per hospital, the reports written (or found unchanged)."""

    reports: list[BedReport] = field(default_factory=list)
    unchanged: list[BedReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # hospitals that report no beds

    def as_dict(self) -> dict[str, Any]:
        def row(r: BedReport) -> dict[str, Any]:
            return {
                "hospital": r.hospital_id,
                "hospital_name": r.hospital.name,
                "bed_type": r.bed_type,
                "available": r.available,
                "baseline": r.baseline,
                "reported_at": r.reported_at.isoformat(),
            }

        return {
            "recorded": [row(r) for r in self.reports],
            "unchanged": [row(r) for r in self.unchanged],
            "skipped": self.skipped,
        }


def _statuses(root: etree._Element) -> list[etree._Element]:
    """The HospitalStatus payloads of the document, or MessageRefused saying what it is."""
    qname = etree.QName(root)
    if qname.namespace == H and qname.localname == "HospitalStatus":
        return [root]
    if qname.namespace != ns.DE or qname.localname != "EDXLDistribution":
        raise MessageRefused.one(
            "wrong_namespace",
            f"{{{qname.namespace or ''}}}{qname.localname} is neither an EDXL-HAVE 1.0 "
            f"HospitalStatus ({H}) nor an EDXL-DE 1.0 envelope ({ns.DE})",
            element_path(root),
        )
    found: list[etree._Element] = []
    problems: list[Problem] = []
    holders = root.iterfind(
        f"{{{ns.DE}}}contentObject/{{{ns.DE}}}xmlContent/{{{ns.DE}}}embeddedXMLContent"
    )
    for holder in holders:
        for child in holder:
            if not isinstance(child.tag, str):
                continue
            if child.tag == _q(H, "HospitalStatus"):
                found.append(child)
            else:
                problems.append(
                    Problem(
                        "not an EDXL-HAVE 1.0 HospitalStatus: send other messages to /api/v1/edxl",
                        element_path(child),
                    )
                )
    if problems:
        raise MessageRefused("not_imported", problems)
    if not found:
        raise MessageRefused.one(
            "not_imported", "the envelope carries no EDXL-HAVE HospitalStatus", element_path(root)
        )
    return found


def _name(hospital_el: etree._Element) -> str:
    org = hospital_el.find(f"{{{H}}}Organization/{{{H}}}OrganizationInformation")
    if org is None:
        return ""
    parts = [_text(e) for e in org.iterfind(f"{{{XNL}}}OrganisationName/{{{XNL}}}NameElement")]
    return " ".join(p for p in parts if p)


def _country(hospital_el: etree._Element) -> str:
    path = (
        f"{{{H}}}Organization/{{{H}}}OrganizationInformation/{{{XPIL}}}Addresses/"
        f"{{{XPIL}}}Address/{{{XAL}}}Country/{{{XAL}}}NameElement"
    )
    return _text(hospital_el.find(path))


def _match(actor: Any, hospital_el: etree._Element, path: str) -> Hospital:
    name = _name(hospital_el)
    if not name:
        raise MessageRefused.one(
            "invalid_content", "the hospital has no OrganisationName/NameElement", path
        )
    hospitals = Hospital.objects.select_related("nation").filter(name__iexact=name)
    country = _country(hospital_el)
    if country:
        party = Party.objects.filter(code__iexact=country).first()
        if party is None:
            raise MessageRefused.one(
                "unknown_party", f"{country!r} is not a known nation code (ISO 3166-1 alpha-3)"
            )
        hospitals = hospitals.filter(nation=party)
    found = list(hospitals[:2])
    if not found:
        raise MessageRefused.one(
            "unknown_hospital",
            f"no registered hospital is named {name!r}"
            + (f" in {country}" if country else "")
            + ": register it first (POST /api/v1/hospitals)",
            path,
        )
    if len(found) > 1:
        raise MessageRefused.one(
            "ambiguous_hospital",
            f"several nations have a hospital named {name!r}: give its country "
            "(xpil:Addresses/xpil:Address/xal:Country/xal:NameElement)",
            path,
        )
    return found[0]


def _integer(el: etree._Element | None) -> int | None:
    return int(_text(el)) if el is not None and _text(el) else None


def _figures(capacity_el: etree._Element, at: datetime) -> list[tuple[str, services.BedFigures]]:
    """One ``(path, figures)`` per bed type of a ``BedCapacity`` element."""
    types = [_text(e) for e in capacity_el.iterfind(f"{{{H}}}BedType")]
    capacities = capacity_el.findall(f"{{{H}}}Capacity")
    path = element_path(capacity_el)
    if len(types) != 1 or len(capacities) != 1:
        raise MessageRefused.one(
            "invalid_content",
            f"a BedCapacity with {len(types)} BedType and {len(capacities)} Capacity: "
            "aidbridge records one bed type with one capacity each",
            path,
        )
    capacity = capacities[0]
    available = _integer(capacity.find(f"{{{H}}}AvailableCount"))
    if available is None and _text(capacity.find(f"{{{H}}}CapacityStatus")) == "NotAvailable":
        available = 0
    baseline = _integer(capacity.find(f"{{{H}}}BaselineCount"))
    return [(path, services.BedFigures(types[0], available, baseline, at))]


def _checked(
    actor: Any, hospital_el: etree._Element, now: datetime
) -> tuple[Hospital | None, list[tuple[str, tuple[str, int, int | None, datetime]]]]:
    path = element_path(hospital_el)
    capacities = hospital_el.findall(f"{{{H}}}HospitalBedCapacityStatus/{{{H}}}BedCapacity")
    if not capacities:
        return None, []
    hospital = _match(actor, hospital_el, path)
    refusal = manage_refusal(actor, hospital.nation, f"report the beds of {hospital}")
    if refusal is not None:
        raise refusal
    raw_at = _text(hospital_el.find(f"{{{H}}}LastUpdateTime"))
    try:
        at = parse_datetime(raw_at)
    except ValueError:  # a date the schema's pattern lets through (month 13, day 32...)
        at = None
    at_path = f"{path}/LastUpdateTime[1]"
    if at is None:
        raise MessageRefused.one("invalid_content", f"{raw_at!r} is not a date and time", at_path)
    out = []
    for capacity_el in capacities:
        for cap_path, figures in _figures(capacity_el, at):
            try:
                checked = services.check_figures(figures, now=now)
            except DomainError as exc:
                where = at_path if exc.field == "reported_at" else cap_path
                problem = Problem(f"{hospital}: {exc.message}", where)
                raise MessageRefused(exc.code, [problem]) from None
            out.append((cap_path, checked))
    return hospital, out


def import_have(actor: Any, data: bytes, *, now: datetime | None = None) -> Imported:
    """Record the bed reports of an EDXL-HAVE document, all or none.

    ``now`` is the clock staleness is judged by (tests replaying the standard's 2010
    example); the API and the command never pass it.
    """
    root = parse(data)
    statuses = _statuses(root)
    errors = schemas.validate(root)
    if errors:
        raise MessageRefused(
            "schema_invalid", [Problem(f"{e.reason} ({e.schema})", e.path) for e in errors]
        )
    now = now or timezone.now()
    problems: list[Problem] = []
    codes: list[str] = []
    plan: list[tuple[Hospital, str, tuple[str, int, int | None, datetime]]] = []
    result = Imported()
    for status in statuses:
        for hospital_el in status.iterfind(f"{{{H}}}Hospital"):
            try:
                hospital, reports = _checked(actor, hospital_el, now)
            except MessageRefused as exc:
                codes.append(exc.code)
                problems.extend(exc.problems)
                continue
            if hospital is None:
                result.skipped.append(_name(hospital_el))
            plan.extend((hospital, p, checked) for p, checked in reports if hospital)
    if problems:
        raise MessageRefused(codes[0], problems)
    with transaction.atomic():
        for hospital, path, checked in plan:
            locked = services.lock_hospital(hospital)
            try:
                report, created = services.write_report(
                    actor, locked, checked, BedReport.Source.HAVE, field=path
                )
            except DomainError as exc:
                raise MessageRefused(exc.code, [Problem(exc.message, path)]) from None
            (result.reports if created else result.unchanged).append(report)
    return result


def _sub(parent: etree._Element, namespace: str, name: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, _q(namespace, name))
    if text is not None:
        element.text = xml_safe(text)
    return element


def _hospital_element(parent: etree._Element, hospital: Hospital, reports: list[Any]) -> None:
    el = _sub(parent, H, "Hospital")
    org = _sub(el, H, "Organization")
    info = _sub(org, H, "OrganizationInformation")
    _sub(_sub(info, XNL, "OrganisationName"), XNL, "NameElement", hospital.name)
    address = _sub(_sub(info, XPIL, "Addresses"), XPIL, "Address")
    _sub(_sub(address, XAL, "Country"), XAL, "NameElement", hospital.nation.code)
    _sub(_sub(address, XAL, "AdministrativeArea"), XAL, "NameElement", hospital.region)
    if hospital.lat is not None and hospital.lon is not None:
        point = _sub(_sub(org, H, "OrganizationGeoLocation"), GML, "Point")
        _sub(point, GML, "pos", f"{hospital.lat:.6f} {hospital.lon:.6f}")
    if hospital.airport:
        _sub(org, H, "CommentText", f"Nearest airport (ICAO): {hospital.airport}")
    if reports:
        status = _sub(el, H, "HospitalBedCapacityStatus")
        for availability in reports:
            capacity_el = _sub(status, H, "BedCapacity")
            _sub(capacity_el, H, "BedType", availability.bed_type)
            capacity = _sub(capacity_el, H, "Capacity")
            _sub(
                capacity,
                H,
                "CapacityStatus",
                "Vacant/Available" if availability.available else "NotAvailable",
            )
            _sub(capacity, H, "AvailableCount", str(availability.available))
            if availability.baseline is not None:
                _sub(capacity, H, "BaselineCount", str(availability.baseline))
            if availability.stale:
                _sub(capacity_el, H, "CommentText", "stale: older than the centre's limit")
    # The reports' time (the registry entry's when there is none).
    last = max((a.reported_at for a in reports), default=hospital.created_at)
    # Microseconds kept: the report reads back as the same report, not an older one.
    _sub(el, H, "LastUpdateTime", last.astimezone(UTC).isoformat().replace("+00:00", "Z"))


def hospital_status(hospitals: Iterable[Hospital]) -> etree._Element:
    """A ``HospitalStatus`` of every given hospital (the schema wants at least one)."""
    chosen = list(hospitals)
    reports = current_reports([h.pk for h in chosen])
    root = etree.Element(_q(H, "HospitalStatus"), nsmap=NSMAP)
    for hospital in chosen:
        # HAVE gives a hospital one LastUpdateTime: bed types reported at different
        # times go in one Hospital element each, so every report keeps its own time.
        by_time: dict[datetime, list[Any]] = {}
        for availability in reports[hospital.pk]:
            by_time.setdefault(availability.reported_at, []).append(availability)
        for group in sorted(by_time.values(), key=lambda g: g[0].reported_at) or [[]]:
            _hospital_element(root, hospital, group)
    return root


def export_have(hospitals: Iterable[Hospital], *, crisis: Crisis | None = None) -> etree._Element:
    """The capacity report, bare, or in an EDXL-DE envelope addressed about ``crisis``."""
    status = hospital_status(hospitals)
    if crisis is None:
        return status
    now = timezone.now()
    centre = Party.objects.filter(kind=Party.Kind.CENTRE).order_by("pk").first()
    sender = centre.code if centre is not None else ids.centre()
    distribution = Distribution(
        distribution_id=f"urn:aidbridge:{ids.centre()}:have:{now.strftime('%Y%m%dT%H%M%S%f')}",
        sender_code=sender,
        sent=now,
        distribution_type="Report",
        crisis_code=crisis.code,
        crisis_name=crisis.name_en,
    )
    return envelope(distribution, [("EDXL-HAVE 1.0 hospital bed availability", status)])
