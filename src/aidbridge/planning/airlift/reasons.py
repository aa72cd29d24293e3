"""Why a consignment is not flown, as a reason code with parameters.

The planner is pure Python: it names each reason by a code and its parameters, with an
English wording here (the CLI's and the API's); the application words the same codes
in its reader's language (``airlift.wording``).
"""

from __future__ import annotations

from typing import Any

ENGLISH: dict[str, str] = {
    "duplicate": "duplicate consignment id {id!r} ({count} entries); none is planned",
    "unknown_airport": "unknown {end} airport {airport!r}",
    "same_airport": "origin and destination are the same airport {airport}",
    "ready_after_due": "ready_at {ready} is after due_by {due}",
    "no_capable_aircraft": "no aircraft in the fleet has what it requires ({requires})",
    "no_type_lands": (
        "no aircraft type can use both {origin} and {destination} ({small} takes "
        "{size} aircraft at most)"
    ),
    "too_heavy": (
        "no aircraft type can land at {origin} and {destination} with {weight} "
        "and {pallets} pallets (largest: {largest})"
    ),
    "out_of_range": (
        "{origin}-{destination} is {km:.0f} km, beyond the range of every type that can "
        "carry it (longest {longest:g} km)"
    ),
    "no_aircraft_of_type": "no aircraft in the fleet of a suitable type ({types})",
    "no_base_in_range": (
        "no suitable aircraft is based within range of both {origin} and {destination}"
    ),
    "window_too_short": (
        "window too short: {window} from ready_at to due_by, but the fastest suitable "
        "type ({type}) needs {need} from {origin} to {destination}"
    ),
    "not_in_time": (
        "no suitable aircraft can reach {origin} and deliver to {destination} by due_by "
        "within its availability"
    ),
    "busy": "every capable aircraft is busy with earlier round trips",
    "not_fitted": (
        "could be flown on its own (e.g. by {plane}), but the capable aircraft's time and "
        "capacity went to higher-priority, heavier or cheaper-to-fly consignments"
    ),
    "no_feasible_sortie": (
        "the search found no feasible sortie for {plane} with it in {seconds:g} s; try a "
        "longer time limit"
    ),
    "not_timed": "internal error: the route of {plane} could not be timed",
}


def english(code: str, params: dict[str, Any]) -> str:
    return ENGLISH[code].format(**params)
