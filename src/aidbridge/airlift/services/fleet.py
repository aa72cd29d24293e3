"""Managing the fleet: aircraft types, aircraft and airfield limits; the seeded fleet.

Each write is one service with its audit entry. Airports are checked against the
ICAO list of :mod:`aidbridge.catalogue.airports`, so a base the planner cannot place
on the map is refused when entered rather than when a plan runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext

from aidbridge.airlift.models import Aircraft, AircraftType, AirfieldLimit, Capability, Size
from aidbridge.airlift.permissions import require_airlift_staff
from aidbridge.audit.services import record
from aidbridge.catalogue.airports import get_airport
from aidbridge.core.changes import apply_changes, jsonable
from aidbridge.core.errors import Conflict, ValidationFailed

TYPE_FIELDS = ("name", "payload_kg", "pallets", "cruise_kmh", "range_km", "size", "cost_per_hour")
AIRCRAFT_FIELDS = ("type", "operator", "base", "available_from", "available_until")
# Optional on creation (none: a cargo aircraft).
OPTIONAL_AIRCRAFT_FIELDS = ("capabilities",)


def icao(code: Any, field: str) -> str:
    """A known ICAO airport code, upper-cased; anything else is refused naming ``field``."""
    text = (code or "").strip().upper() if isinstance(code, str) else ""
    if len(text) != 4 or get_airport(text) is None:
        raise ValidationFailed(
            gettext("%(code)s is not a known ICAO airport code") % {"code": repr(code)}, field=field
        )
    return text


def _positive(value: Any, field: str, *, zero: bool = False) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < (0 if zero else 1):
        raise ValidationFailed(
            gettext("%(field)s must be a whole number %(value)s")
            % {"field": field, "value": ">= 0" if zero else "> 0"},
            field=field,
        )
    return value


def _clean_type(values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for name in ("payload_kg", "cruise_kmh", "range_km"):
        if name in out:
            out[name] = _positive(out[name], name)
    for name in ("pallets", "cost_per_hour"):
        if name in out:
            out[name] = _positive(out[name], name, zero=True)
    if "size" in out and out["size"] not in Size.values:
        raise ValidationFailed(
            gettext("size must be one of %(value)s") % {"value": ", ".join(Size.values)},
            field="size",
        )
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
    return out


@transaction.atomic
def create_aircraft_type(actor: Any, *, code: str, **values: Any) -> AircraftType:
    require_airlift_staff(actor, "manage the fleet")
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(gettext("code must not be empty"), field="code")
    if AircraftType.objects.filter(code__iexact=code).exists():
        raise Conflict(
            gettext("aircraft type %(code)s already exists") % {"code": code}, field="code"
        )
    unknown = set(values) - set(TYPE_FIELDS)
    if unknown:
        raise ValidationFailed(
            gettext("unknown field %(value)s") % {"value": sorted(unknown)[0]},
            field=sorted(unknown)[0],
        )
    kind = AircraftType.objects.create(code=code, **_clean_type(values))
    record(actor, "aircraft_type.create", kind, changes={"code": [None, code]})
    return kind


@transaction.atomic
def update_aircraft_type(actor: Any, kind: AircraftType, **changes: Any) -> AircraftType:
    require_airlift_staff(actor, "manage the fleet")
    kind = AircraftType.objects.select_for_update().get(pk=kind.pk)
    diff = apply_changes(kind, _clean_type(changes), TYPE_FIELDS)
    if diff:
        kind.save()
        record(actor, "aircraft_type.update", kind, changes=diff)
    return kind


@transaction.atomic
def delete_aircraft_type(actor: Any, kind: AircraftType) -> None:
    require_airlift_staff(actor, "manage the fleet")
    if kind.aircraft.exists():
        raise Conflict(
            gettext("aircraft of type %(code)s exist: remove them first") % {"code": kind.code},
            field="code",
        )
    record(actor, "aircraft_type.delete", kind, changes={"code": [kind.code, None]})
    kind.delete()


def _clean_aircraft(values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "type" in out and not isinstance(out["type"], AircraftType):
        found = AircraftType.objects.filter(code__iexact=str(out["type"] or "").strip()).first()
        if found is None:
            raise ValidationFailed(
                gettext("unknown aircraft type %(value)s") % {"value": repr(out["type"])},
                field="type",
            )
        out["type"] = found
    if "base" in out:
        out["base"] = icao(out["base"], "base")
    if "operator" in out:
        out["operator"] = (out["operator"] or "").strip()
        if not out["operator"]:
            raise ValidationFailed(gettext("operator must not be empty"), field="operator")
    if "capabilities" in out:
        out["capabilities"] = _capabilities(out["capabilities"])
    for name in ("available_from", "available_until"):
        if name in out:
            moment = out[name]
            if not isinstance(moment, datetime):
                raise ValidationFailed(gettext("must be a date and time"), field=name)
            if timezone.is_naive(moment):
                raise ValidationFailed(
                    gettext("give the time zone (UTC: a trailing Z)"), field=name
                )
    return out


def _capabilities(value: Any) -> list[str]:
    """A list of known capabilities, sorted and each once (the audit compares lists)."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(gettext("must be a list of capabilities"), field="capabilities")
    unknown = sorted(set(value) - set(Capability.values))
    if unknown:
        raise ValidationFailed(
            gettext("unknown capability %(value)s; choose from: %(choices)s")
            % {"value": repr(unknown[0]), "choices": ", ".join(Capability.values)},
            field="capabilities",
        )
    return sorted(set(value))


def _check_window(aircraft: Aircraft) -> None:
    if aircraft.available_until <= aircraft.available_from:
        raise ValidationFailed(gettext("must be after available_from"), field="available_until")


@transaction.atomic
def create_aircraft(actor: Any, *, tail: str, **values: Any) -> Aircraft:
    require_airlift_staff(actor, "manage the fleet")
    tail = (tail or "").strip()
    if not tail:
        raise ValidationFailed(gettext("tail must not be empty"), field="tail")
    missing = [f for f in AIRCRAFT_FIELDS if f not in values]
    if missing:
        raise ValidationFailed(
            gettext("%(value)s is required") % {"value": missing[0]}, field=missing[0]
        )
    if Aircraft.objects.filter(tail__iexact=tail).exists():
        raise Conflict(gettext("aircraft %(tail)s already exists") % {"tail": tail}, field="tail")
    aircraft = Aircraft(tail=tail, **_clean_aircraft(values))
    _check_window(aircraft)
    aircraft.save()
    record(
        actor,
        "aircraft.create",
        aircraft,
        changes={
            k: [None, jsonable(getattr(aircraft, k))]
            for k in ("tail", *AIRCRAFT_FIELDS, *OPTIONAL_AIRCRAFT_FIELDS)
        },
    )
    return aircraft


@transaction.atomic
def update_aircraft(actor: Any, aircraft: Aircraft, **changes: Any) -> Aircraft:
    require_airlift_staff(actor, "manage the fleet")
    aircraft = Aircraft.objects.select_for_update().get(pk=aircraft.pk)
    diff = apply_changes(
        aircraft, _clean_aircraft(changes), (*AIRCRAFT_FIELDS, *OPTIONAL_AIRCRAFT_FIELDS)
    )
    _check_window(aircraft)
    if diff:
        aircraft.save()
        record(actor, "aircraft.update", aircraft, changes=diff)
    return aircraft


@transaction.atomic
def delete_aircraft(actor: Any, aircraft: Aircraft) -> None:
    require_airlift_staff(actor, "manage the fleet")
    record(actor, "aircraft.delete", aircraft, changes={"tail": [aircraft.tail, None]})
    try:
        with transaction.atomic():
            aircraft.delete()
    except ProtectedError:
        raise Conflict(
            gettext("%(tail)s has flown or is planned on sorties: it stays on record")
            % {"tail": aircraft.tail},
            field="tail",
        ) from None


@transaction.atomic
def set_airfield_limit(actor: Any, *, icao_code: str, max_aircraft: str, note: str = "") -> Any:
    """Record the largest class an airfield takes (airfields without one take ``heavy``)."""
    require_airlift_staff(actor, "set airfield limits")
    code = icao(icao_code, "icao")
    if max_aircraft not in Size.values:
        raise ValidationFailed(
            gettext("max_aircraft must be one of %(value)s") % {"value": ", ".join(Size.values)},
            field="max_aircraft",
        )
    limit = AirfieldLimit.objects.filter(icao=code).first()
    old = limit.max_aircraft if limit else Size.HEAVY
    limit, _ = AirfieldLimit.objects.update_or_create(
        icao=code, defaults={"max_aircraft": max_aircraft, "note": (note or "").strip()}
    )
    record(actor, "airfield_limit.set", limit, changes={"max_aircraft": [old, max_aircraft]})
    return limit


# The reference table of docs/domain.md; range is the longest leg at a useful load and the
# hourly cost a charter-like figure: both approximate public figures, editable.
REFERENCE_TYPES: tuple[dict[str, Any], ...] = (
    {"code": "An-124-100", "name": "Antonov An-124-100 Ruslan (SALIS)", "payload_kg": 120_000,
     "pallets": 36, "cruise_kmh": 800, "range_km": 4_800, "size": "heavy",
     "cost_per_hour": 30_000},
    {"code": "C-17A", "name": "Boeing C-17A Globemaster III (SAC)", "payload_kg": 77_500,
     "pallets": 18, "cruise_kmh": 830, "range_km": 4_400, "size": "heavy",
     "cost_per_hour": 24_000},
    {"code": "A400M", "name": "Airbus A400M Atlas", "payload_kg": 37_000, "pallets": 9,
     "cruise_kmh": 780, "range_km": 3_300, "size": "medium", "cost_per_hour": 16_000},
    {"code": "C-130J-30", "name": "Lockheed Martin C-130J-30 Super Hercules",
     "payload_kg": 19_000, "pallets": 8, "cruise_kmh": 640, "range_km": 3_150,
     "size": "light", "cost_per_hour": 9_000},
    # The Luftwaffe's A310 MRTT in its MedEvac fit: six fully equipped intensive-care
    # stations and up to 38 further stretchers (aerobuzz.de, 29 March 2020; WDR, March
    # 2020). Its pallet positions count those six stations: a PAT-ICU patient is
    # planned as one position (catalogue: 450 kg, 10 m³; see docs/domain.md), so the
    # planner never puts a seventh ICU patient aboard. Speed, range and cost are
    # approximate public A310 figures, editable like the others.
    {"code": "A310-MEDEVAC", "name": "Airbus A310 MRTT MedEvac (Luftwaffe)",
     "payload_kg": 30_000, "pallets": 6, "cruise_kmh": 850, "range_km": 6_000,
     "size": "medium", "cost_per_hour": 18_000},
)  # fmt: skip

# tail, type, operator, base (ICAO)
DEMO_FLEET: tuple[tuple[str, str, str, str], ...] = (
    ("SALIS-1", "An-124-100", "SALIS", "EDDP"),
    ("SALIS-2", "An-124-100", "SALIS", "EDDP"),
    ("SAC-01", "C-17A", "SAC", "LHPA"),
    ("SAC-02", "C-17A", "SAC", "LHPA"),
    ("SAC-03", "C-17A", "SAC", "LHPA"),
    ("DEU-A400M-1", "A400M", "DEU", "ETNW"),
    ("FRA-A400M-1", "A400M", "FRA", "LFOJ"),
    ("TUR-A400M-1", "A400M", "TUR", "LTAU"),
    ("ITA-C130J-1", "C-130J-30", "ITA", "LIRP"),
)

# The MEDEVAC-fitted aircraft: 10+27 flew six Italian ICU patients from Bergamo (LIME)
# to Cologne/Bonn (EDDK) on 28 March 2020 (itamilradar.com, 28 March 2020). In the demo
# it stays available through 2020 (an assumption), so the centre can also plan the
# open autumn transfer wave with it. tail, type, operator, base, capabilities.
MEDEVAC_FLEET: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("10+27", "A310-MEDEVAC", "DEU", "EDDK", (Capability.MEDEVAC,)),
)
MEDEVAC_UNTIL = datetime(2020, 12, 31, 23, 59, tzinfo=UTC)


@transaction.atomic
def seed_fleet(
    actor: Any = None, *, available_from: date = date(2020, 3, 15), days: int = 90
) -> list[Aircraft]:
    """The reference types and the demo fleet, written as the system (``actor`` None)
    unless an actor is given; idempotent, so the demo loader can call it on every run."""
    start = datetime.combine(available_from, time(0, 0), tzinfo=UTC)
    end = start + timedelta(days=days)
    for spec in REFERENCE_TYPES:
        kind, created = AircraftType.objects.get_or_create(
            code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
        )
        if created:
            record(actor, "aircraft_type.create", kind, changes={"code": [None, kind.code]})
    out = []
    none: tuple[str, ...] = ()
    rows = [(*row, none, end) for row in DEMO_FLEET]
    rows += [(*row, max(end, MEDEVAC_UNTIL)) for row in MEDEVAC_FLEET]
    for tail, type_code, operator, base, capabilities, until in rows:
        aircraft, created = Aircraft.objects.get_or_create(
            tail=tail,
            defaults={
                "type": AircraftType.objects.get(code=type_code),
                "operator": operator,
                "base": base,
                "available_from": start,
                "available_until": until,
                "capabilities": [str(c) for c in capabilities],
            },
        )
        if created:
            record(actor, "aircraft.create", aircraft, changes={"tail": [None, tail]})
        out.append(aircraft)
    return out
