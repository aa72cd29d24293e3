"""The clearing-house's state as the airlift planner's input (a read, no write).

The input document is the spec's own JSON (docs/specs/airlift.md), built from the
fleet, the airfield limits and :func:`build_consignments`; it is stored on the run
with the output, so anyone can re-run :func:`check_airlift` on them later.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext

from aidbridge.airlift.consignments import build_consignments, iso
from aidbridge.airlift.models import Aircraft, AircraftType, AirfieldLimit, Size
from aidbridge.catalogue.airports import get_airport
from aidbridge.core.errors import Conflict
from aidbridge.crises.models import Crisis

GROUND_MINUTES = 90


def planning_input(crisis: Crisis) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """``(document, lines, skipped)``: the spec's input document for the crisis, the
    offer line and quantity behind each consignment id, and the lines left out."""
    fleet = list(Aircraft.objects.select_related("type").order_by("tail"))
    if not fleet:
        raise Conflict(gettext("the fleet is empty: add aircraft before planning"), field="fleet")
    consignments, skipped = build_consignments(crisis)
    horizon_end = max(a.available_until for a in fleet)
    codes = {a.base for a in fleet}
    for c in consignments:
        codes |= {c.origin, c.destination}
    limits = dict(AirfieldLimit.objects.filter(icao__in=codes).values_list("icao", "max_aircraft"))
    airports = []
    for code in sorted(codes):
        found = get_airport(code)
        if found is None:  # a base saved before the check existed; refuse by name
            raise Conflict(
                gettext("base %(code)s is not a known ICAO airport") % {"code": code}, field="fleet"
            )
        airports.append(
            {
                "code": code,
                "lat": found.lat,
                "lon": found.lon,
                "max_aircraft": limits.get(code, Size.HEAVY),
            }
        )
    types = AircraftType.objects.filter(aircraft__isnull=False).distinct().order_by("code")
    document = {
        "airports": airports,
        "aircraft_types": [
            {
                "code": t.code,
                "payload_kg": t.payload_kg,
                "pallets": t.pallets,
                "cruise_kmh": t.cruise_kmh,
                "range_km": t.range_km,
                "size": t.size,
                "cost_per_hour": t.cost_per_hour,
            }
            for t in types
        ],
        "fleet": [
            {
                "id": a.tail,
                "type": a.type.code,
                "base": a.base,
                "available_from": iso(a.available_from),
                "available_until": iso(a.available_until),
            }
            | ({"capabilities": list(a.capabilities)} if a.capabilities else {})
            for a in fleet
        ],
        "consignments": [c.spec(horizon_end) for c in consignments],
        "ground_minutes": GROUND_MINUTES,
    }
    lines = {
        c.id: {"offer_line": c.offer_line, "quantity": c.quantity}
        | ({"source": c.source, "source_key": c.source_key} if c.source else {})
        for c in consignments
    }
    return document, lines, [asdict(s) for s in skipped]
