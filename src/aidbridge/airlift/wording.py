"""The airlift planner's reasons (why a consignment is not flown) and the reasons a
line could not become a consignment, in the reader's language.

The planner gives a reason code and its parameters (``planning.airlift.reasons``); plans
stored before the codes keep their English text.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _km(value: Any) -> str:
    return f"{float(value):.0f}"


def _texts() -> dict[str, str]:
    """Evaluated per call: the active language decides."""
    return {
        "duplicate": _("duplicate consignment id %(id)s (%(count)s entries); none is planned"),
        "unknown_airport": _("unknown airport %(airport)s"),
        "same_airport": _("origin and destination are the same airport %(airport)s"),
        "ready_after_due": _("ready on %(ready)s, after it is due (%(due)s)"),
        "no_capable_aircraft": _("no aircraft in the fleet has what it requires (%(requires)s)"),
        "no_type_lands": _(
            "no aircraft type can use both %(origin)s and %(destination)s (%(small)s takes "
            "%(size)s aircraft at most)"
        ),
        "too_heavy": _(
            "no aircraft type can land at %(origin)s and %(destination)s with %(weight)s and "
            "%(pallets)s pallets (largest: %(largest)s)"
        ),
        "out_of_range": _(
            "%(origin)s-%(destination)s is %(km)s km, beyond the range of every type that "
            "can carry it (longest %(longest)s km)"
        ),
        "no_aircraft_of_type": _("no aircraft in the fleet of a suitable type (%(types)s)"),
        "no_base_in_range": _(
            "no suitable aircraft is based within range of both %(origin)s and %(destination)s"
        ),
        "window_too_short": _(
            "window too short: %(window)s between ready and due, but the fastest suitable "
            "type (%(type)s) needs %(need)s from %(origin)s to %(destination)s"
        ),
        "not_in_time": _(
            "no suitable aircraft can reach %(origin)s and deliver to %(destination)s in "
            "time within its availability"
        ),
        "busy": _("every capable aircraft is busy with earlier round trips"),
        "not_fitted": _(
            "could be flown on its own (e.g. by %(plane)s), but the capable aircraft's time "
            "and capacity went to higher-priority, heavier or cheaper-to-fly consignments"
        ),
        "no_feasible_sortie": _(
            "the search found no feasible sortie for %(plane)s with it in %(seconds)s s; try "
            "a longer time limit"
        ),
        "not_timed": _("internal error: the route of %(plane)s could not be timed"),
        "no_origin": _("offer %(offer)s gives no origin airport"),
        "unknown_origin": _("origin %(airport)s of offer %(offer)s is not a known ICAO airport"),
        "no_destination": _("request line %(line)s gives no delivery airport"),
        "unknown_destination": _(
            "delivery airport %(airport)s of %(line)s is not a known ICAO airport"
        ),
        "no_weight": _("%(item)s has no unit weight: not cargo the planner can load"),
        "transfer_no_airport": _("transfer %(transfer)s: %(place)s gives no airport (ICAO)"),
        "no_transport_weight": _(
            "%(item)s has no weight when flown (catalogue transport_weight_kg)"
        ),
    }


def worded(entry: dict[str, Any]) -> str:
    """An ``unassigned`` or ``skipped`` entry's reason in the active language."""
    text = _texts().get(entry.get("code") or "")
    if text is None:
        return str(entry.get("reason", ""))
    params = dict(entry.get("params") or {})
    for key in ("km", "longest"):
        if key in params:
            params[key] = _km(params[key])
    if "seconds" in params:
        params["seconds"] = f"{float(params['seconds']):g}"
    return text % params
