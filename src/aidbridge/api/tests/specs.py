"""Per operation of the API, the valid surroundings its bad-input cases are sent with:
who calls it, its path values and a valid body (``SPECS``), or why its valid body cannot
be shown to succeed in the fixture (``NOT_EXERCISED``); for operations without a body,
who reads (``READERS``) and the fixture objects their paths name (``PATH_VALUES``).

A new endpoint needs its entry here (``test_bad_input`` checks that every operation with
a body has one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aidbridge.api.tests.world import World

# Operations whose valid body cannot be shown to succeed in this fixture, with why.
# Their bad-input cases still run: a schema refuses the value before any object is read.
NOT_EXERCISED = {
    ("POST", "/sorties/{sortie_id}/depart"): "a sortie needs an approved airlift plan, "
    "computed by the planner (airlift/tests/test_plans_api.py flies one)",
    ("POST", "/sorties/{sortie_id}/arrive"): "as depart: needs a departed sortie",
    ("POST", "/allocation-runs/{run_id}/offers"): "needs a finished allocation run with "
    "proposals (allocations/tests cover it)",
    ("POST", "/offers/{offer_id}/decline-proposal"): "needs an offer proposed from an "
    "allocation run (allocations/tests cover it)",
    ("POST", "/crises/{code}/airlift-plans"): "runs the airlift planner; the fixture has "
    "nothing to fly (airlift/tests/test_plans_api.py covers it)",
    ("POST", "/proposed-transfers/{transfer_id}/depart"): "needs an accepted transfer "
    "matching (hospitals/tests/test_tracking.py covers it)",
    ("POST", "/proposed-transfers/{transfer_id}/arrive"): "needs a departed transfer "
    "(hospitals/tests/test_tracking.py covers it)",
    ("POST", "/rfas/{rfa_id}/escalate"): "needs a submitted request repeating a circulated "
    "one of the same nation (requests/tests/test_escalation.py covers it through the API)",
}


@dataclass(frozen=True)
class Spec:
    who: str
    params: Callable[[World], dict[str, Any]]
    body: Callable[[World], dict[str, Any]] = lambda w: {}


def ids(**names: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {param: w.ids.get(key, key) for param, key in names.items()}


LINE = {"item": "VENT-ICU", "quantity": 3}
SPECS: dict[tuple[str, str], Spec] = {
    ("PATCH", "/me"): Spec("ita", ids(), lambda w: {"language": "fr"}),
    ("POST", "/me/tokens"): Spec("ita", ids(), lambda w: {"name": "phone"}),
    ("POST", "/tokens"): Spec(
        "ita", ids(), lambda w: {"username": "ita-poc", "password": "pw-ita-poc", "name": "a"}
    ),
    ("POST", "/users/{username}/tokens"): Spec(
        "duty", ids(username="feed-bot"), lambda w: {"name": "feed", "expires_in_days": 30}
    ),
    ("POST", "/users"): Spec(
        "duty",
        ids(),
        lambda w: {
            "username": "esp-two",
            "email": "esp-two@example.org",
            "party": "ESP",
            "role": "national_poc",
            "password": "a long pass phrase 42",
        },
    ),
    ("POST", "/users/{username}/deactivate"): Spec(
        "duty", ids(username="ocha"), lambda w: {"reason": "left"}
    ),
    ("POST", "/parties"): Spec(
        "duty",
        ids(),
        lambda w: {"code": "FRA", "kind": "nation", "name_en": "France", "name_fr": "France"},
    ),
    ("PATCH", "/parties/{code}"): Spec("duty", ids(code="ESP"), lambda w: {"name_en": "Spain"}),
    ("POST", "/parties/{code}/deactivate"): Spec(
        "duty", ids(code="CZE"), lambda w: {"reason": "left"}
    ),
    ("POST", "/parties/{code}/reactivate"): Spec(
        "duty", ids(code="FIN"), lambda w: {"reason": "back"}
    ),
    ("POST", "/crises"): Spec(
        "duty",
        ids(),
        lambda w: {
            "code": "floods-2026",
            "name_en": "Floods",
            "name_fr": "Inondations",
            "started_on": "2026-01-02",
        },
    ),
    ("PATCH", "/crises/{code}"): Spec(
        "duty", ids(code="spare"), lambda w: {"description": "Still spare"}
    ),
    ("POST", "/crises/{code}/close"): Spec("duty", ids(code="spare"), lambda w: {"reason": "Over"}),
    ("POST", "/rfas"): Spec(
        "ita",
        ids(),
        lambda w: {"crisis": w.ids["code"], "title": "More", "lines": [LINE]},
    ),
    ("POST", "/intake"): Spec(
        "ita", ids(), lambda w: {"crisis": w.ids["code"], "text": "Italy needs 3 ventilators"}
    ),
    ("POST", "/intake/confirm"): Spec(
        "ita",
        ids(),
        lambda w: {"crisis": w.ids["code"], "title": "From a message", "lines": [LINE]},
    ),
    ("PATCH", "/rfas/{rfa_id}"): Spec(
        "ita", ids(rfa_id="draft"), lambda w: {"title": "Draft", "lines": [LINE]}
    ),
    ("PUT", "/rfas/{rfa_id}"): Spec(
        "ita", ids(rfa_id="draft"), lambda w: {"title": "Draft", "lines": [LINE]}
    ),
    ("POST", "/rfas/{rfa_id}/return"): Spec(
        "duty", ids(rfa_id="submitted"), lambda w: {"reason": "Say where"}
    ),
    ("POST", "/rfas/{rfa_id}/withdraw"): Spec(
        "ita", ids(rfa_id="submitted"), lambda w: {"reason": "Not needed"}
    ),
    ("POST", "/rfas/{rfa_id}/escalate"): Spec(
        "duty", ids(rfa_id="submitted"), lambda w: {"into": w.ids["rfa"]}
    ),
    ("POST", "/rfas/{rfa_id}/close"): Spec(
        "duty", ids(rfa_id="rfa"), lambda w: {"closure": "fulfilled", "reason": "Done"}
    ),
    ("POST", "/rfas/{rfa_id}/offers"): Spec(
        "tur",
        ids(rfa_id="rfa"),
        lambda w: {"lines": [{"request_line": w.ids["masks"], "quantity": 10}]},
    ),
    ("POST", "/crises/{code}/unsolicited-offers"): Spec(
        "tur", ids(code="code"), lambda w: {"lines": [{"item": "RESP-FFP2", "quantity": 100}]}
    ),
    ("POST", "/offers/{offer_id}/withdraw"): Spec(
        "deu", ids(offer_id="pending_offer"), lambda w: {"reason": "Sold out"}
    ),
    ("POST", "/offer-lines/{line_id}/accept"): Spec(
        "ita", ids(line_id="pending_line"), lambda w: {"quantity": 5}
    ),
    ("POST", "/offer-lines/{line_id}/decline"): Spec(
        "ita", ids(line_id="pending_line"), lambda w: {"reason": "Enough", "quantity": 5}
    ),
    ("POST", "/offer-lines/{line_id}/withdraw"): Spec(
        "deu", ids(line_id="pending_line"), lambda w: {"reason": "Sold out"}
    ),
    ("POST", "/offer-lines/{line_id}/dispatches"): Spec(
        "deu", ids(line_id="accepted_line"), lambda w: {"quantity": 5, "mode": "road"}
    ),
    ("POST", "/dispatches/{dispatch_id}/receipt"): Spec(
        "ita", ids(dispatch_id="dispatch"), lambda w: {"quantity": 10, "note": "Counted"}
    ),
    ("POST", "/aircraft-types"): Spec(
        "duty",
        ids(),
        lambda w: {
            "code": "A400M",
            "payload_kg": 37_000,
            "pallets": 9,
            "cruise_kmh": 780,
            "range_km": 3_300,
            "size": "medium",
            "cost_per_hour": 15_000,
        },
    ),
    ("PATCH", "/aircraft-types/{code}"): Spec(
        "duty", ids(code="C-17A"), lambda w: {"name": "Globemaster III"}
    ),
    ("POST", "/aircraft"): Spec(
        "duty",
        ids(),
        lambda w: {
            "tail": "SAC-02",
            "type": "C-17A",
            "operator": "SAC",
            "base": "LHPA",
            "available_from": "2026-01-01T00:00:00Z",
            "available_until": "2026-12-31T00:00:00Z",
        },
    ),
    ("PATCH", "/aircraft/{tail}"): Spec("duty", ids(tail="SAC-01"), lambda w: {"operator": "SAC"}),
    ("PUT", "/airfield-limits/{icao}"): Spec(
        "duty", ids(icao="LIRF"), lambda w: {"max_aircraft": "medium", "note": "Short runway"}
    ),
    ("POST", "/crises/{code}/sitreps"): Spec("duty", ids(code="code"), lambda w: {}),
    ("PATCH", "/sitreps/{sitrep_id}"): Spec(
        "duty", ids(sitrep_id="sitrep"), lambda w: {"general_situation": "Calm"}
    ),
    ("POST", "/crises/{code}/airlift-plans"): Spec("airlift", ids(code="code")),
    ("POST", "/hospitals"): Spec(
        "deu", ids(), lambda w: {"name": "Uniklinik Bonn", "nation": "DEU", "region": "NRW"}
    ),
    ("PATCH", "/hospitals/{hospital_id}"): Spec(
        "deu", ids(hospital_id="hospital"), lambda w: {"contact_name": "ICU desk"}
    ),
    ("POST", "/hospitals/{hospital_id}/beds"): Spec(
        "deu",
        ids(hospital_id="hospital"),
        lambda w: {"bed_type": "AdultICU", "available": 12, "baseline": 40},
    ),
    ("POST", "/transfer-requests"): Spec(
        "ita",
        ids(),
        lambda w: {
            "crisis": w.ids["code"],
            "title": "ICU patients",
            "transfers": [{"count": 2, "bed_type": "AdultICU", "origin_region": "Lombardy"}],
        },
    ),
    ("PUT", "/rfas/{rfa_id}/lines/{line_id}/transfer"): Spec(
        "ita",
        ids(rfa_id="transfer_draft", line_id="transfer_draft_line"),
        lambda w: {"bed_type": "AdultICU", "origin_region": "Lombardy", "ventilated": True},
    ),
    ("POST", "/rfas/{rfa_id}/bed-offers"): Spec(
        "deu",
        ids(rfa_id="transfer_rfa"),
        lambda w: {
            "request_line": w.ids["transfer_line"],
            "bed_type": "AdultICU",
            "hospitals": [{"hospital": w.ids["hospital"], "beds": 3}],
        },
    ),
    ("POST", "/sorties/{sortie_id}/depart"): Spec("airlift", ids(sortie_id="1")),
    ("POST", "/proposed-transfers/{transfer_id}/depart"): Spec("deu", ids(transfer_id="1")),
    ("POST", "/proposed-transfers/{transfer_id}/arrive"): Spec("ita", ids(transfer_id="1")),
    ("POST", "/sorties/{sortie_id}/arrive"): Spec("airlift", ids(sortie_id="1")),
    ("POST", "/allocation-runs/{run_id}/offers"): Spec(
        "duty", ids(run_id="1"), lambda w: {"proposals": [1]}
    ),
    ("POST", "/offers/{offer_id}/decline-proposal"): Spec(
        "stock", ids(offer_id="offer"), lambda w: {"reason": "No"}
    ),
    ("POST", "/webhooks"): Spec(
        "feed-bot",
        ids(),
        lambda w: {"url": "https://example.org/other", "event_types": ["offer.accepted"]},
    ),
    ("POST", "/webhooks/{webhook_id}/rotate-secret"): Spec(
        "feed-bot", ids(webhook_id="webhook"), lambda w: {"grace_hours": 1}
    ),
}
# Operations without a body: who reads, and the real objects their paths name (a list
# must answer 200 for offset=0).
READERS: dict[str, str] = {
    "/users": "duty",
    "/webhooks/{webhook_id}/deliveries": "feed-bot",
}
PATH_VALUES = {
    "code": "code",
    "rfa_id": "rfa",
    "offer_id": "offer",
    "line_id": "pending_line",
    "dispatch_id": "dispatch",
    "token_id": "token",
    "sitrep_id": "sitrep",
    "notification_id": "notification",
    "username": "ita-poc",
    "tail": "SAC-01",
    "icao": "LIRF",
    "table": "picture",
    "plan_id": "1",
    "sortie_id": "1",
    "transfer_id": "1",
    "run_id": "1",
    "hospital_id": "hospital",
    "webhook_id": "webhook",
}


# Query values no schema can refuse (any string is a string): who asks, the path, the
# bad query and the parameter the 422 must name. ``cursor`` is checked by its signature.
BAD_QUERIES: list[tuple[str, str, dict[str, Any], str]] = [
    ("ita", "/rfas", {"cursor": "not-a-cursor"}, "cursor"),
    ("ita", "/rfas", {"cursor": "eyJwIjoiL3JmYXMifQ:1abc:forged"}, "cursor"),
    ("ita", "/rfas", {"cursor": "x" * 1001}, "cursor"),
    ("ita", "/rfas", {"cursor": "", "offset": 5}, "cursor"),
    ("duty", "/offers", {"cursor": "\u00e9t\u00e9"}, "cursor"),
    ("duty", "/offers", {"cursor": "a:b:c:d"}, "cursor"),
    ("ocha", "/catalogue/items", {"cursor": "%00"}, "cursor"),
    ("duty", "/users", {"cursor": "=" * 40}, "cursor"),
]


def spec_of(method: str, path: str) -> Spec:
    if (method, path) in SPECS:
        return SPECS[(method, path)]
    names = {p: PATH_VALUES[p] for p in PATH_VALUES if "{" + p + "}" in path}
    return Spec(READERS.get(path, "duty"), ids(**names))


def url(path: str, params: dict[str, Any]) -> str:
    for name, value in params.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def send(client: Any, method: str, url: str, query: dict[str, Any], body: Any) -> Any:
    if method == "GET":
        return client.get(url, **query)
    if query:
        url = f"{url}?" + "&".join(f"{k}={v}" for k, v in query.items())
    if method == "DELETE":
        return client.delete(url)
    return getattr(client, method.lower())(url, body)
