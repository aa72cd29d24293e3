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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from aidbridge.accounts.models import ApiToken
from aidbridge.airlift.models import Aircraft, AircraftType, AirfieldLimit, AirliftPlanRun, Sortie
from aidbridge.allocations.models import AllocationRun
from aidbridge.api.root import api as ninja_api
from aidbridge.api.tests.specs import BAD_QUERIES, NOT_EXERCISED, SPECS, send, spec_of, url
from aidbridge.api.tests.world import world  # noqa: F401 (a fixture)
from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.hospitals.models import BedOffer, BedReport, Hospital, TransferNeed
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.sitreps.models import Sitrep

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


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in DOC["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path.removeprefix(PREFIX), op


def json_body(op: dict[str, Any]) -> dict[str, Any] | None:
    content = op.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def _cases() -> Iterator[Case]:
    for method, path, op in operations():
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
        body = json_body(op)
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
BODY_OPERATIONS = sorted({(m, p) for m, p, op in operations() if json_body(op) is not None})


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


def test_the_document_read_is_the_one_served(api) -> None:
    served = api("ocha").get("/openapi.json")
    assert served.status_code == 200
    assert served.json()["paths"].keys() == DOC["paths"].keys()
    assert len(CASES) > 300  # every operation enumerated, not a handful


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_refused_naming_the_field(api, world, case: Case) -> None:  # noqa: F811
    spec = spec_of(case.method, case.path)
    params = spec.params(world)
    body = spec.body(world) if json_body(_op(case)) is not None else None
    query: dict[str, Any] = {}
    if case.where == "path":
        params[case.field] = case.value
    elif case.where == "query":
        query[case.field] = case.value
    else:
        body = _set(body or {}, case.field, case.value)
    client = api(spec.who)  # its token is written now, not by the request
    before = _counts()
    response = send(client, case.method, url(case.path, params), query, body)
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
def test_the_valid_body_is_accepted(api, world, method: str, path: str) -> None:  # noqa: F811
    """The surroundings every bad case is sent with are valid: alone, they succeed."""
    spec = spec_of(method, path)
    client = api(spec.who)
    response = send(client, method, url(path, spec.params(world)), {}, spec.body(world))
    assert 200 <= response.status_code < 300, response.content[:500]


def test_every_body_operation_has_a_valid_body_or_a_reason() -> None:
    assert set(NOT_EXERCISED) <= set(BODY_OPERATIONS)
    assert set(BODY_OPERATIONS) <= set(SPECS), set(BODY_OPERATIONS) - set(SPECS)


@pytest.mark.parametrize(("who", "path", "query", "field"), BAD_QUERIES, ids=repr)
def test_bad_query_strings_are_refused_naming_the_parameter(
    api,
    world,  # noqa: F811
    who: str,
    path: str,
    query: dict[str, Any],
    field: str,
) -> None:
    response = api(who).get(path, **query)
    assert response.status_code == 422, response.content[:500]
    answer = response.json()
    assert set(answer) == {"detail", "code", "errors"}, answer
    assert [e["field"] for e in answer["errors"]] == [field], answer
