"""The airlift's writes, one entry point: views, the API, the demo and the command line
call ``airlift.services`` (and read through ``airlift.selectors``), never the modules
below it. Each write takes the acting user first, checks the rule, and writes its audit
entry in the same transaction.

- ``fleet``: aircraft types, aircraft, airfield limits, the seeded reference fleet;
- ``plans``: planning runs requested, restarted, cancelled (solved by ``airlift.tasks``);
- ``sorties``: a plan approved into sorties, their departure and arrival.
"""

from aidbridge.airlift.services.fleet import (
    REFERENCE_TYPES,
    create_aircraft,
    create_aircraft_type,
    delete_aircraft,
    delete_aircraft_type,
    seed_fleet,
    set_airfield_limit,
    update_aircraft,
    update_aircraft_type,
)
from aidbridge.airlift.services.plans import (
    MAX_TIME_LIMIT_S,
    cancel_plan_run,
    request_airlift_plan,
    restart_plan_run,
)
from aidbridge.airlift.services.sorties import approve_airlift_plan, arrive, depart, move_sortie

__all__ = [
    "MAX_TIME_LIMIT_S",
    "REFERENCE_TYPES",
    "approve_airlift_plan",
    "arrive",
    "cancel_plan_run",
    "create_aircraft",
    "create_aircraft_type",
    "delete_aircraft",
    "delete_aircraft_type",
    "depart",
    "move_sortie",
    "request_airlift_plan",
    "restart_plan_run",
    "seed_fleet",
    "set_airfield_limit",
    "update_aircraft",
    "update_aircraft_type",
]
