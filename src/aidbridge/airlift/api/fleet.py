"""API: the airlift fleet (aircraft types, aircraft, airfield limits). Everyone with a
role reads; the centre and the airlift coordinator write, through ``fleet``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from aidbridge.accounts.permissions import profile_of
from aidbridge.airlift import services
from aidbridge.airlift.models import Aircraft, AircraftType, AirfieldLimit, Capability, Size
from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import InputSchema, Number, NumberOrZero, chars
from aidbridge.core.errors import NotFound

router = Router(tags=["airlift fleet"])


class AircraftTypeOut(Schema):
    code: str
    name: str
    payload_kg: int
    pallets: int
    cruise_kmh: int
    range_km: int
    size: Size
    cost_per_hour: int


class AircraftTypeIn(InputSchema):
    code: str = chars(AircraftType, "code", description="e.g. C-17A")
    name: str = chars(AircraftType, "name", "")
    payload_kg: Number
    pallets: NumberOrZero = Field(..., description="463L pallet positions")
    cruise_kmh: Number
    range_km: Number = Field(..., description="Longest single leg, whatever the load")
    size: Size
    cost_per_hour: NumberOrZero = Field(..., description="Euros per flight hour")


class AircraftTypePatch(InputSchema):
    name: str | None = chars(AircraftType, "name", None)
    payload_kg: Number | None = None
    pallets: NumberOrZero | None = None
    cruise_kmh: Number | None = None
    range_km: Number | None = None
    size: Size | None = None
    cost_per_hour: NumberOrZero | None = None


class AircraftOut(Schema):
    id: int
    tail: str
    type: str
    operator: str
    base: str
    available_from: datetime
    available_until: datetime
    capabilities: list[Capability]


CAPABILITIES = (
    "What the aircraft is fitted for beyond cargo: medevac (flying intensive care) takes "
    "the patient transfers handed to the airlift"
)


class AircraftIn(InputSchema):
    tail: str = chars(Aircraft, "tail", description="Call sign or tail number, e.g. SAC-01")
    type: str = chars(AircraftType, "code", description="Aircraft type code")
    operator: str = chars(Aircraft, "operator", description="SALIS, SAC or the nation flying it")
    base: str = chars(Aircraft, "base", description="ICAO code of the home base")
    available_from: datetime
    available_until: datetime
    capabilities: list[Capability] = Field([], description=CAPABILITIES)


class AircraftPatch(InputSchema):
    type: str | None = chars(AircraftType, "code", None)
    operator: str | None = chars(Aircraft, "operator", None)
    base: str | None = chars(Aircraft, "base", None)
    available_from: datetime | None = None
    available_until: datetime | None = None
    capabilities: list[Capability] | None = Field(None, description=CAPABILITIES)


class AircraftFilters(Schema):
    type: str | None = Field(None, description="Aircraft type code")
    capability: Capability | None = Field(None, description="Only aircraft fitted for it")
    operator: str | None = None
    base: str | None = None


class AirfieldLimitOut(Schema):
    icao: str
    max_aircraft: Size
    note: str


class AirfieldLimitIn(InputSchema):
    max_aircraft: Size = Field(..., description="Largest class the airfield takes")
    note: str = chars(AirfieldLimit, "note", "")


def _type(code: str) -> AircraftType:
    found = AircraftType.objects.filter(code__iexact=code).first()
    if found is None:
        raise NotFound(gettext("no aircraft type %(code)s") % {"code": repr(code)}, field="code")
    return found


def _aircraft(tail: str) -> Aircraft:
    found = Aircraft.objects.select_related("type").filter(tail__iexact=tail).first()
    if found is None:
        raise NotFound(gettext("no aircraft %(tail)s") % {"tail": repr(tail)}, field="tail")
    return found


def aircraft_out(a: Aircraft) -> dict[str, Any]:
    return {
        "id": a.pk,
        "tail": a.tail,
        "type": a.type.code,
        "operator": a.operator,
        "base": a.base,
        "available_from": a.available_from,
        "available_until": a.available_until,
        "capabilities": a.capabilities,
    }


@router.get("/aircraft-types", response=Page[AircraftTypeOut])
def list_types(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    profile_of(request.user)
    return paginate(request, AircraftType.objects.all(), page)


@router.post("/aircraft-types", response={201: AircraftTypeOut})
def create_type(request: HttpRequest, payload: AircraftTypeIn) -> Status[AircraftType]:
    return Status(201, services.create_aircraft_type(request.user, **payload.dict()))


@router.get("/aircraft-types/{code}", response=AircraftTypeOut)
def get_type(request: HttpRequest, code: str) -> AircraftType:
    profile_of(request.user)
    return _type(code)


@router.patch("/aircraft-types/{code}", response=AircraftTypeOut)
def update_type(request: HttpRequest, code: str, payload: AircraftTypePatch) -> AircraftType:
    profile_of(request.user)
    changes = payload.dict(exclude_unset=True)
    return services.update_aircraft_type(request.user, _type(code), **changes)


@router.delete("/aircraft-types/{code}", response={204: None})
def delete_type(request: HttpRequest, code: str) -> Status[None]:
    profile_of(request.user)
    services.delete_aircraft_type(request.user, _type(code))
    return Status(204, None)


@router.get("/aircraft", response=Page[AircraftOut])
def list_aircraft(
    request: HttpRequest, filters: Query[AircraftFilters], page: Query[PageParams]
) -> dict[str, Any]:
    profile_of(request.user)
    rows = Aircraft.objects.select_related("type")
    if filters.type:
        rows = rows.filter(type__code__iexact=filters.type)
    if filters.operator:
        rows = rows.filter(operator__iexact=filters.operator)
    if filters.base:
        rows = rows.filter(base__iexact=filters.base)
    if filters.capability:
        # A JSON list: filtered here rather than with a lookup SQLite lacks.
        tails = [a.tail for a in rows if filters.capability in a.capabilities]
        rows = rows.filter(tail__in=tails)
    return paginate(request, rows, page, lambda found: [aircraft_out(a) for a in found])


@router.post("/aircraft", response={201: AircraftOut})
def create_aircraft(request: HttpRequest, payload: AircraftIn) -> Status[dict[str, Any]]:
    return Status(201, aircraft_out(services.create_aircraft(request.user, **payload.dict())))


@router.get("/aircraft/{tail}", response=AircraftOut)
def get_aircraft(request: HttpRequest, tail: str) -> dict[str, Any]:
    profile_of(request.user)
    return aircraft_out(_aircraft(tail))


@router.patch("/aircraft/{tail}", response=AircraftOut)
def update_aircraft(request: HttpRequest, tail: str, payload: AircraftPatch) -> dict[str, Any]:
    profile_of(request.user)
    changes = payload.dict(exclude_unset=True)
    return aircraft_out(services.update_aircraft(request.user, _aircraft(tail), **changes))


@router.delete("/aircraft/{tail}", response={204: None})
def delete_aircraft(request: HttpRequest, tail: str) -> Status[None]:
    profile_of(request.user)
    services.delete_aircraft(request.user, _aircraft(tail))
    return Status(204, None)


@router.get("/airfield-limits", response=Page[AirfieldLimitOut])
def list_limits(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """Airfields that take less than every class; any other airfield takes ``heavy``."""
    profile_of(request.user)
    return paginate(request, AirfieldLimit.objects.all(), page)


@router.put("/airfield-limits/{icao}", response=AirfieldLimitOut)
def set_limit(request: HttpRequest, icao: str, payload: AirfieldLimitIn) -> AirfieldLimit:
    return services.set_airfield_limit(
        request.user, icao_code=icao, max_aircraft=payload.max_aircraft, note=payload.note
    )
