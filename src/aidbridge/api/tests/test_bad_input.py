"""Bad input on every operation of the API, enumerated from its own OpenAPI document.

For every integer path or query parameter and every integer field of a JSON body:
0, -1, 1.5, "x" and 10^20; for every body an unknown field; for every string field of
a body a NUL character. Each must answer a 4xx in the documented shape
(``{"detail", "code", "errors": [{"field", "message"}]}``) naming the field, and write
nothing (row counts of the main tables and the audit trail before and after). Where 0
is allowed by the schema (``offset``, a receipt of nothing), 0 must succeed instead.

The valid surroundings of every body come from one fixture crisis whose objects are
made through the services; ``test_the_valid_body_is_accepted`` proves they are valid,
so the bad field is the only problem in each case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from aidbridge.accounts.models import ApiToken
from aidbridge.accounts.services import create_user
from aidbridge.airlift import services as airlift_services
from aidbridge.airlift.models import Aircraft, AircraftType, AirfieldLimit, AirliftPlanRun, Sortie
from aidbridge.allocations.models import AllocationRun
from aidbridge.api.root import api as ninja_api
from aidbridge.audit.models import AuditEntry
from aidbridge.catalogue.models import Category, Item
from aidbridge.crises.models import Crisis
from aidbridge.crises.services import create_crisis
from aidbridge.hospitals import services as hospital_services
from aidbridge.hospitals import transfers
from aidbridge.hospitals.models import BedOffer, BedReport, Hospital, TransferNeed
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.logistics.services import dispatch_offer_line
from aidbridge.notifications.models import Notification
from aidbridge.offers import services as offer_services
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.parties.models import Party
from aidbridge.parties.services import create_party, deactivate_party
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.services import draft_sitrep
from aidbridge.webhooks.services import create_subscription

PREFIX = "/api/v1"
DOC = ninja_api.get_openapi_schema()
COMPONENTS = DOC["components"]["schemas"]
BAD_INTEGERS: list[tuple[str, Any]] = [
    ("0", 0),
    ("-1", -1),
    ("1.5", 1.5),
    ("x", "x"),
    ("1e20", 10**20),
]
UNKNOWN = "unexpected_field"

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


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kinds(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a schema (``int | None`` is an anyOf)."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        return [k for a in schema["anyOf"] for k in _kinds(a) if k.get("type") != "null"]
    return [schema]


def _leaves(schema: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, dict]]:
    """(dotted path, schema) of every scalar field of a body; list items as ``.0``."""
    for kind in _kinds(schema):
        if kind.get("type") == "object" and "properties" in kind:
            for name, sub in kind["properties"].items():
                yield from _leaves(sub, (*path, name))
        elif kind.get("type") == "array":
            yield from _leaves(kind["items"], (*path, "0"))
        else:
            yield ".".join(path), kind


def _zero_allowed(kind: dict[str, Any]) -> bool:
    return kind.get("minimum") == 0


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # without the /api/v1 prefix
    where: str  # "path", "query" or "body"
    field: str
    value: Any
    label: str
    succeeds: bool = False  # 0 where the schema allows it

    @property
    def id(self) -> str:
        return f"{self.method} {self.path} {self.where}:{self.field}={self.label}"


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in DOC["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path.removeprefix(PREFIX), op


def _json_body(op: dict[str, Any]) -> dict[str, Any] | None:
    content = op.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def _cases() -> Iterator[Case]:
    for method, path, op in _operations():
        for param in op.get("parameters", []):
            kinds = _kinds(param["schema"])
            if any(k.get("type") == "integer" for k in kinds):
                zero = any(_zero_allowed(k) for k in kinds)
                for label, value in BAD_INTEGERS:
                    yield Case(
                        method,
                        path,
                        param["in"],
                        param["name"],
                        value,
                        label,
                        succeeds=zero and value == 0,
                    )
        body = _json_body(op)
        if body is None:
            continue
        yield Case(method, path, "body", UNKNOWN, 1, "unknown")
        for name, kind in _leaves(body):
            if kind.get("type") == "integer":
                for label, value in BAD_INTEGERS:
                    succeeds = _zero_allowed(kind) and value == 0
                    yield Case(method, path, "body", name, value, label, succeeds)
            elif kind.get("type") == "string":
                yield Case(method, path, "body", name, "a\x00b", "NUL")


CASES = list(_cases())
BODY_OPERATIONS = sorted({(m, p) for m, p, op in _operations() if _json_body(op) is not None})


# --- the fixture crisis ----------------------------------------------------------------


@dataclass
class World:
    """Objects of one crisis, made through the services, for the operations to act on."""

    crisis: Crisis
    ids: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(crisis, users, items, parties) -> World:
    w = World(crisis)
    spare = create_crisis(
        users["duty"],
        code="spare-2026",
        name_en="Spare",
        name_fr="Réserve",
        started_on=date(2026, 1, 1),
    )
    circulated = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 150), (items["MASK-SURG"], 1000)]
    )
    draft = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 5)], status="draft"
    )
    submitted = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 7)], status="submitted"
    )
    vents, masks = circulated.lines.order_by("position")
    offer = offer_services.make_offer(
        users["deu"], rfa=circulated, lines=[{"request_line": vents, "quantity": 50}]
    )
    accepted = offer.lines.get()
    offer_services.accept_offer_line(users["ita"], accepted, 40)
    sent = dispatch_offer_line(users["deu"], accepted, quantity=10, mode="road")
    pending_offer = offer_services.make_offer(
        users["deu"], rfa=circulated, lines=[{"request_line": masks, "quantity": 300}]
    )
    airlift_services.create_aircraft_type(
        users["duty"],
        code="C-17A",
        name="Boeing C-17A",
        payload_kg=77_500,
        pallets=18,
        cruise_kmh=830,
        range_km=4_400,
        size="heavy",
        cost_per_hour=24_000,
    )
    airlift_services.create_aircraft(
        users["duty"],
        tail="SAC-01",
        type="C-17A",
        operator="SAC",
        base="LHPA",
        available_from=datetime(2026, 1, 1, tzinfo=UTC),
        available_until=datetime(2026, 12, 31, tzinfo=UTC),
    )
    retired = create_party(
        users["duty"], code="FIN", kind="nation", name_en="Finland", name_fr="Finlande"
    )
    deactivate_party(users["duty"], retired, reason="left the exercise")
    token = ApiToken.objects.create(
        user=users["ita"], name="laptop", prefix="p" * 12, key_hash="h" * 64
    )
    # A machine account (no password), for the centre to issue its tokens.
    create_user(users["duty"], username="feed-bot", email="", party="UN-OCHA", role="observer")
    # It registers a webhook (only machine accounts do).
    users["feed-bot"] = get_user_model().objects.get(username="feed-bot")
    webhook = create_subscription(users["feed-bot"], "https://example.org/hook", ["offer.made"])
    sitrep = draft_sitrep(users["duty"], crisis)
    notification = Notification.objects.filter(recipient=users["ita"]).first()
    # Hospital beds and patient transfers (hospitals app).
    hospital = hospital_services.register_hospital(
        users["duty"], nation=parties["DEU"], name="Uniklinik Köln", region="NRW", airport="EDDK"
    )
    hospital_services.report_beds(users["duty"], hospital, bed_type="AdultICU", available=20)
    patients = Category.objects.create(code="PATIENT", name_en="Patients", name_fr="Patients")
    Item.objects.create(
        code="PAT-ICU",
        category=patients,
        name_en="ICU transfer",
        name_fr="Transfert",
        unit="patient",
        unit_weight_kg=0,
        unit_volume_m3=0,
    )
    transfer = {"count": 5, "bed_type": "AdultICU", "origin_region": "Lombardy"}
    transfer_draft = transfers.request_transfers(
        users["ita"],
        crisis=crisis,
        title="Patients",
        transfers=[transfer | {"origin_airport": "LIME"}],
    )
    transfer_rfa = transfers.request_transfers(
        users["ita"],
        crisis=crisis,
        title="More patients",
        transfers=[transfer | {"origin_airport": "LIME"}],
    )
    rfa_services.submit_rfa(users["ita"], transfer_rfa)
    rfa_services.circulate_request(users["duty"], transfer_rfa)
    w.ids = {
        "code": crisis.code,
        "spare": spare.code,
        "rfa": circulated.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "vents": vents.pk,
        "masks": masks.pk,
        "offer": offer.pk,
        "pending_offer": pending_offer.pk,
        "accepted_line": accepted.pk,
        "pending_line": pending_offer.lines.get().pk,
        "dispatch": sent.pk,
        "token": token.pk,
        "sitrep": sitrep.pk,
        "notification": notification.pk if notification else 1,
        "hospital": hospital.pk,
        "transfer_draft": transfer_draft.pk,
        "transfer_draft_line": transfer_draft.lines.get().pk,
        "transfer_rfa": transfer_rfa.pk,
        "transfer_line": transfer_rfa.lines.get().pk,
        "webhook": webhook.pk,
    }
    return w


@dataclass(frozen=True)
class Spec:
    who: str
    params: Callable[[World], dict[str, Any]]
    body: Callable[[World], dict[str, Any]] = lambda w: {}


def _ids(**names: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {param: w.ids.get(key, key) for param, key in names.items()}


LINE = {"item": "VENT-ICU", "quantity": 3}
SPECS: dict[tuple[str, str], Spec] = {
    ("PATCH", "/me"): Spec("ita", _ids(), lambda w: {"language": "fr"}),
    ("POST", "/me/tokens"): Spec("ita", _ids(), lambda w: {"name": "phone"}),
    ("POST", "/tokens"): Spec(
        "ita", _ids(), lambda w: {"username": "ita-poc", "password": "pw-ita-poc", "name": "a"}
    ),
    ("POST", "/users/{username}/tokens"): Spec(
        "duty", _ids(username="feed-bot"), lambda w: {"name": "feed", "expires_in_days": 30}
    ),
    ("POST", "/users"): Spec(
        "duty",
        _ids(),
        lambda w: {
            "username": "esp-two",
            "email": "esp-two@example.org",
            "party": "ESP",
            "role": "national_poc",
            "password": "a long pass phrase 42",
        },
    ),
    ("POST", "/users/{username}/deactivate"): Spec(
        "duty", _ids(username="ocha"), lambda w: {"reason": "left"}
    ),
    ("POST", "/parties"): Spec(
        "duty",
        _ids(),
        lambda w: {"code": "FRA", "kind": "nation", "name_en": "France", "name_fr": "France"},
    ),
    ("PATCH", "/parties/{code}"): Spec("duty", _ids(code="ESP"), lambda w: {"name_en": "Spain"}),
    ("POST", "/parties/{code}/deactivate"): Spec(
        "duty", _ids(code="CZE"), lambda w: {"reason": "left"}
    ),
    ("POST", "/parties/{code}/reactivate"): Spec(
        "duty", _ids(code="FIN"), lambda w: {"reason": "back"}
    ),
    ("POST", "/crises"): Spec(
        "duty",
        _ids(),
        lambda w: {
            "code": "floods-2026",
            "name_en": "Floods",
            "name_fr": "Inondations",
            "started_on": "2026-01-02",
        },
    ),
    ("PATCH", "/crises/{code}"): Spec(
        "duty", _ids(code="spare"), lambda w: {"description": "Still spare"}
    ),
    ("POST", "/crises/{code}/close"): Spec(
        "duty", _ids(code="spare"), lambda w: {"reason": "Over"}
    ),
    ("POST", "/rfas"): Spec(
        "ita",
        _ids(),
        lambda w: {"crisis": w.ids["code"], "title": "More", "lines": [LINE]},
    ),
    ("POST", "/intake"): Spec(
        "ita", _ids(), lambda w: {"crisis": w.ids["code"], "text": "Italy needs 3 ventilators"}
    ),
    ("POST", "/intake/confirm"): Spec(
        "ita",
        _ids(),
        lambda w: {"crisis": w.ids["code"], "title": "From a message", "lines": [LINE]},
    ),
    ("PATCH", "/rfas/{rfa_id}"): Spec(
        "ita", _ids(rfa_id="draft"), lambda w: {"title": "Draft", "lines": [LINE]}
    ),
    ("PUT", "/rfas/{rfa_id}"): Spec(
        "ita", _ids(rfa_id="draft"), lambda w: {"title": "Draft", "lines": [LINE]}
    ),
    ("POST", "/rfas/{rfa_id}/return"): Spec(
        "duty", _ids(rfa_id="submitted"), lambda w: {"reason": "Say where"}
    ),
    ("POST", "/rfas/{rfa_id}/withdraw"): Spec(
        "ita", _ids(rfa_id="submitted"), lambda w: {"reason": "Not needed"}
    ),
    ("POST", "/rfas/{rfa_id}/escalate"): Spec(
        "duty", _ids(rfa_id="submitted"), lambda w: {"into": w.ids["rfa"]}
    ),
    ("POST", "/rfas/{rfa_id}/close"): Spec(
        "duty", _ids(rfa_id="rfa"), lambda w: {"closure": "fulfilled", "reason": "Done"}
    ),
    ("POST", "/rfas/{rfa_id}/offers"): Spec(
        "tur",
        _ids(rfa_id="rfa"),
        lambda w: {"lines": [{"request_line": w.ids["masks"], "quantity": 10}]},
    ),
    ("POST", "/crises/{code}/unsolicited-offers"): Spec(
        "tur", _ids(code="code"), lambda w: {"lines": [{"item": "RESP-FFP2", "quantity": 100}]}
    ),
    ("POST", "/offers/{offer_id}/withdraw"): Spec(
        "deu", _ids(offer_id="pending_offer"), lambda w: {"reason": "Sold out"}
    ),
    ("POST", "/offer-lines/{line_id}/accept"): Spec(
        "ita", _ids(line_id="pending_line"), lambda w: {"quantity": 5}
    ),
    ("POST", "/offer-lines/{line_id}/decline"): Spec(
        "ita", _ids(line_id="pending_line"), lambda w: {"reason": "Enough", "quantity": 5}
    ),
    ("POST", "/offer-lines/{line_id}/withdraw"): Spec(
        "deu", _ids(line_id="pending_line"), lambda w: {"reason": "Sold out"}
    ),
    ("POST", "/offer-lines/{line_id}/dispatches"): Spec(
        "deu", _ids(line_id="accepted_line"), lambda w: {"quantity": 5, "mode": "road"}
    ),
    ("POST", "/dispatches/{dispatch_id}/receipt"): Spec(
        "ita", _ids(dispatch_id="dispatch"), lambda w: {"quantity": 10, "note": "Counted"}
    ),
    ("POST", "/aircraft-types"): Spec(
        "duty",
        _ids(),
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
        "duty", _ids(code="C-17A"), lambda w: {"name": "Globemaster III"}
    ),
    ("POST", "/aircraft"): Spec(
        "duty",
        _ids(),
        lambda w: {
            "tail": "SAC-02",
            "type": "C-17A",
            "operator": "SAC",
            "base": "LHPA",
            "available_from": "2026-01-01T00:00:00Z",
            "available_until": "2026-12-31T00:00:00Z",
        },
    ),
    ("PATCH", "/aircraft/{tail}"): Spec("duty", _ids(tail="SAC-01"), lambda w: {"operator": "SAC"}),
    ("PUT", "/airfield-limits/{icao}"): Spec(
        "duty", _ids(icao="LIRF"), lambda w: {"max_aircraft": "medium", "note": "Short runway"}
    ),
    ("POST", "/crises/{code}/sitreps"): Spec("duty", _ids(code="code"), lambda w: {}),
    ("PATCH", "/sitreps/{sitrep_id}"): Spec(
        "duty", _ids(sitrep_id="sitrep"), lambda w: {"general_situation": "Calm"}
    ),
    ("POST", "/crises/{code}/airlift-plans"): Spec("airlift", _ids(code="code")),
    ("POST", "/hospitals"): Spec(
        "deu", _ids(), lambda w: {"name": "Uniklinik Bonn", "nation": "DEU", "region": "NRW"}
    ),
    ("PATCH", "/hospitals/{hospital_id}"): Spec(
        "deu", _ids(hospital_id="hospital"), lambda w: {"contact_name": "ICU desk"}
    ),
    ("POST", "/hospitals/{hospital_id}/beds"): Spec(
        "deu",
        _ids(hospital_id="hospital"),
        lambda w: {"bed_type": "AdultICU", "available": 12, "baseline": 40},
    ),
    ("POST", "/transfer-requests"): Spec(
        "ita",
        _ids(),
        lambda w: {
            "crisis": w.ids["code"],
            "title": "ICU patients",
            "transfers": [{"count": 2, "bed_type": "AdultICU", "origin_region": "Lombardy"}],
        },
    ),
    ("PUT", "/rfas/{rfa_id}/lines/{line_id}/transfer"): Spec(
        "ita",
        _ids(rfa_id="transfer_draft", line_id="transfer_draft_line"),
        lambda w: {"bed_type": "AdultICU", "origin_region": "Lombardy", "ventilated": True},
    ),
    ("POST", "/rfas/{rfa_id}/bed-offers"): Spec(
        "deu",
        _ids(rfa_id="transfer_rfa"),
        lambda w: {
            "request_line": w.ids["transfer_line"],
            "bed_type": "AdultICU",
            "hospitals": [{"hospital": w.ids["hospital"], "beds": 3}],
        },
    ),
    ("POST", "/sorties/{sortie_id}/depart"): Spec("airlift", _ids(sortie_id="1")),
    ("POST", "/proposed-transfers/{transfer_id}/depart"): Spec("deu", _ids(transfer_id="1")),
    ("POST", "/proposed-transfers/{transfer_id}/arrive"): Spec("ita", _ids(transfer_id="1")),
    ("POST", "/sorties/{sortie_id}/arrive"): Spec("airlift", _ids(sortie_id="1")),
    ("POST", "/allocation-runs/{run_id}/offers"): Spec(
        "duty", _ids(run_id="1"), lambda w: {"proposals": [1]}
    ),
    ("POST", "/offers/{offer_id}/decline-proposal"): Spec(
        "stock", _ids(offer_id="offer"), lambda w: {"reason": "No"}
    ),
    ("POST", "/webhooks"): Spec(
        "feed-bot",
        _ids(),
        lambda w: {"url": "https://example.org/other", "event_types": ["offer.accepted"]},
    ),
    ("POST", "/webhooks/{webhook_id}/rotate-secret"): Spec(
        "feed-bot", _ids(webhook_id="webhook"), lambda w: {"grace_hours": 1}
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


def _spec(method: str, path: str) -> Spec:
    if (method, path) in SPECS:
        return SPECS[(method, path)]
    names = {p: PATH_VALUES[p] for p in PATH_VALUES if "{" + p + "}" in path}
    return Spec(READERS.get(path, "duty"), _ids(**names))


def _url(path: str, params: dict[str, Any]) -> str:
    for name, value in params.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def _set(body: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """``body`` with the field at ``dotted`` (``lines.0.quantity``) set to ``value``."""
    out = json.loads(json.dumps(body))
    node: Any = out
    parts = dotted.split(".")
    for i, part in enumerate(parts[:-1]):
        nxt: Any = [] if parts[i + 1].isdigit() else {}
        if isinstance(node, list):
            while len(node) <= int(part):
                node.append(nxt)
            node = node[int(part)]
        else:
            node = node.setdefault(part, nxt)
    last = parts[-1]
    if isinstance(node, list):
        while len(node) <= int(last):
            node.append(None)
        node[int(last)] = value
    else:
        node[last] = value
    return out


COUNTED: list[Any] = [
    Crisis,
    Party,
    get_user_model(),
    ApiToken,
    RequestForAssistance,
    RequestLine,
    Offer,
    OfferLine,
    Dispatch,
    Receipt,
    Sitrep,
    AllocationRun,
    AirliftPlanRun,
    Sortie,
    AircraftType,
    Aircraft,
    AirfieldLimit,
    Notification,
    AuditEntry,
    Hospital,
    BedReport,
    TransferNeed,
    BedOffer,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in COUNTED}


def _send(client: Any, method: str, url: str, query: dict[str, Any], body: Any) -> Any:
    if method == "GET":
        return client.get(url, **query)
    if query:
        url = f"{url}?" + "&".join(f"{k}={v}" for k, v in query.items())
    if method == "DELETE":
        return client.delete(url)
    return getattr(client, method.lower())(url, body)


def test_the_document_read_is_the_one_served(api) -> None:
    served = api("ocha").get("/openapi.json")
    assert served.status_code == 200
    assert served.json()["paths"].keys() == DOC["paths"].keys()
    assert len(CASES) > 300  # every operation enumerated, not a handful


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_refused_naming_the_field(api, world, case: Case) -> None:
    spec = _spec(case.method, case.path)
    params = spec.params(world)
    body = spec.body(world) if _json_body(_op(case)) is not None else None
    query: dict[str, Any] = {}
    if case.where == "path":
        params[case.field] = case.value
    elif case.where == "query":
        query[case.field] = case.value
    else:
        body = _set(body or {}, case.field, case.value)
    client = api(spec.who)  # its token is written now, not by the request
    before = _counts()
    response = _send(client, case.method, _url(case.path, params), query, body)
    if case.succeeds:
        if (case.method, case.path) in NOT_EXERCISED:
            # An accepted value on an operation the fixture cannot reach (see above):
            # it gets as far as the missing object, and no further.
            assert response.status_code == 404, response.content[:500]
            return
        assert 200 <= response.status_code < 300, response.content[:500]
        return
    assert 400 <= response.status_code < 500, response.content[:500]
    answer = response.json()
    assert set(answer) == {"detail", "code", "errors"}, answer
    assert all(set(e) == {"field", "message"} for e in answer["errors"]), answer
    assert case.field in [e["field"] for e in answer["errors"]], answer
    assert _counts() == before


def _op(case: Case) -> dict[str, Any]:
    return DOC["paths"][PREFIX + case.path][case.method.lower()]


@pytest.mark.parametrize(
    ("method", "path"),
    [op for op in BODY_OPERATIONS if op not in NOT_EXERCISED],
    ids=lambda v: str(v),
)
def test_the_valid_body_is_accepted(api, world, method: str, path: str) -> None:
    """The surroundings every bad case is sent with are valid: alone, they succeed."""
    spec = _spec(method, path)
    client = api(spec.who)
    response = _send(client, method, _url(path, spec.params(world)), {}, spec.body(world))
    assert 200 <= response.status_code < 300, response.content[:500]


def test_every_body_operation_has_a_valid_body_or_a_reason() -> None:
    assert set(NOT_EXERCISED) <= set(BODY_OPERATIONS)
    assert set(BODY_OPERATIONS) <= set(SPECS), set(BODY_OPERATIONS) - set(SPECS)
