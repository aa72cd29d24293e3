"""The airlift planner: consignments into sorties (contract: docs/specs/airlift.md).

Public API (pure Python, no Django; dataclasses in and out, see :mod:`.model`)::

    from aidbridge.planning.airlift import (
        parse_airlift, plan_airlift, check_airlift, plan_to_json, plan_to_geojson,
        AirliftInputError,
    )

    inp = parse_airlift(doc)            # dict (decoded JSON) -> AirliftInput
                                        # raises AirliftInputError naming the entry when
                                        # the document is malformed; impossible
                                        # consignments go to inp.rejected with a reason
    plan = plan_airlift(inp, time_limit_s=10.0, seed=0, progress=None)
                                        # -> AirliftPlan(sorties, unassigned, stats);
                                        # progress(Progress) is called ~4x a second
    violations = check_airlift(inp, plan)   # [] when feasible; also accepts the JSON dict
    doc_out = plan_to_json(plan)        # the spec's output document
    legs = plan_to_geojson(inp, plan)   # the legs as a GeoJSON FeatureCollection (a map)

An adapter building the input from database rows can construct :class:`AirliftInput`
directly (``airports``/``aircraft_types`` keyed by code, times as aware UTC datetimes)
instead of going through JSON; ``plan.stats`` carries delivered weight per priority
class (``delivered_kg``), ``cost``, ``flight_hours``, ``solve_time_s`` and the checker's
``violations``.

How it works: a feasibility pre-analysis (:mod:`.analysis`) sets aside, with a precise
reason, every consignment no aircraft could fly alone; the rest become a pickup-and-
delivery problem with time windows, a heterogeneous fleet, several bases, per-type leg
range and airport limits and two capacity dimensions (:mod:`.pdp`), solved by PyVRP's
iterated local search (:mod:`.routing`); routes are re-timed on the minute grid
(:mod:`.schedule`) and checked (:mod:`.check`). Each aircraft flies at most one sortie,
which may chain any number of pickups and deliveries (see :mod:`.pdp` for why).
:mod:`.baseline` is the comparison heuristic: one dedicated round trip per consignment.
"""

from .check import check_airlift
from .geojson import plan_to_geojson
from .jsonio import plan_to_json
from .model import (
    Aircraft,
    AircraftType,
    AirliftInput,
    AirliftPlan,
    Airport,
    Consignment,
    Progress,
    Sortie,
    Stop,
    Unassigned,
    Violation,
)
from .parse import AirliftInputError, parse_airlift
from .solve import plan_airlift

__all__ = [
    "Aircraft",
    "AircraftType",
    "AirliftInput",
    "AirliftInputError",
    "AirliftPlan",
    "Airport",
    "Consignment",
    "Progress",
    "Sortie",
    "Stop",
    "Unassigned",
    "Violation",
    "check_airlift",
    "parse_airlift",
    "plan_airlift",
    "plan_to_geojson",
    "plan_to_json",
]
