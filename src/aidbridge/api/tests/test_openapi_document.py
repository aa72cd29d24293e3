"""The OpenAPI document tells the truth about what the API answers.

Every operation is called for real (the surroundings of ``test_bad_input``: one crisis
made through the services), as its usual caller, anonymously, and with an object that
does not exist; each answer's status must be documented for the operation and its JSON
body must validate against the documented schema (``jsonschema``, draft 2020-12, the
dialect of OpenAPI 3.1).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ninja import Schema
from ninja.responses import Response

from aidbridge.api.openapi import ComponentNameClash, DocumentedAPI
from aidbridge.api.root import api as ninja_api
from aidbridge.api.tests.specs import send, spec_of, url
from aidbridge.api.tests.test_bad_input import PREFIX, json_body, operations
from aidbridge.api.tests.world import world  # noqa: F401 (a fixture)
from aidbridge.crises.models import Crisis
from aidbridge.requests.models import RequestForAssistance

# As served: through JSON, so statuses are strings as a client reads them.
DOC = json.loads(Response(ninja_api.get_openapi_schema()).content)
OPERATIONS = sorted((method, path) for method, path, _ in operations())
MISSING = {"code": "no-such-crisis", "username": "no-such-user", "tail": "NO-TAIL"}


def _problems(method: str, path: str, response: Any) -> list[str]:
    """Why ``response`` is not what the document says ``method path`` answers."""
    op = DOC["paths"][PREFIX + path][method.lower()]
    documented = op["responses"].get(str(response.status_code))
    if documented is None:
        return [f"status {response.status_code} is not documented: {response.content[:300]!r}"]
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    is_json = response.get("Content-Type", "").startswith("application/json")
    if schema is None:
        return [] if not is_json or not response.content else ["an undocumented JSON body"]
    if not is_json:
        return [f"documented as JSON, answered {response.get('Content-Type')}"]
    validator = Draft202012Validator({**schema, "components": DOC["components"]})
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator.iter_errors(json.loads(response.content))
    ]


def test_no_two_schemas_share_a_component_name() -> None:
    """The nested ``Status`` of every model has its own component, with its own values."""
    schemas = DOC["components"]["schemas"]
    assert schemas["CrisisStatus"]["enum"] == list(Crisis.Status.values)
    assert schemas["RequestForAssistanceStatus"]["enum"] == list(RequestForAssistance.Status.values)
    assert "Status" not in schemas
    crisis_out = schemas["CrisisOut"]["properties"]["status"]
    assert json.dumps(crisis_out).count("#/components/schemas/CrisisStatus") == 1


def test_a_name_claimed_by_two_schemas_stops_the_document() -> None:
    """Two different schemas with one name are refused, not silently merged."""

    def make(values: tuple[str, ...]) -> type[Schema]:
        class Twin(Schema):
            value: str

        Twin.model_config["json_schema_extra"] = {"x-values": list(values)}
        Twin.model_rebuild(force=True)
        return Twin

    first, second = make(("a",)), make(("b",))
    twins = DocumentedAPI(urls_namespace="twins")

    @twins.get("/first", response=first)
    def read_first(request: Any) -> Any: ...

    @twins.get("/second", response=second)
    def read_second(request: Any) -> Any: ...

    with pytest.raises(ComponentNameClash, match="Twin"):
        twins.get_openapi_schema(path_prefix="")


def test_every_operation_documents_its_errors_in_the_error_shape() -> None:
    error = DOC["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"detail", "code", "errors", "request_id"}
    for method, path in OPERATIONS:
        responses = DOC["paths"][PREFIX + path][method.lower()]["responses"]
        for status in ("401", "403", "503"):
            assert status in responses, (method, path, status)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method != "GET":
            assert {"409", "422"} <= responses.keys(), (method, path)
        for status, answer in responses.items():
            if status.startswith("4") or status.startswith("5"):
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}


def test_a_body_documents_the_size_limit_and_uploads_their_file() -> None:
    """Only an operation that takes a body can answer 413; uploads show their file."""
    for method, path in OPERATIONS:
        op = DOC["paths"][PREFIX + path][method.lower()]
        assert ("413" in op["responses"]) == ("requestBody" in op), (method, path)
    for path in ("/imports/needs", "/imports/offers"):
        body = DOC["paths"][PREFIX + path]["post"]["requestBody"]
        assert body["content"]["multipart/form-data"]["schema"]["required"] == ["file"]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=lambda v: str(v))
def test_real_answers_match_the_document(api, world, method: str, path: str) -> None:  # noqa: F811
    spec = spec_of(method, path)
    body = spec.body(world) if json_body(DOC["paths"][PREFIX + path][method.lower()]) else None
    params = spec.params(world)
    calls = {
        "as its caller": (spec.who, params),
        "anonymously": (None, params),
    }
    if "{" in path:
        missing = {k: MISSING.get(k, 2**62) for k in params}
        calls["on a missing object"] = (spec.who, missing)
    problems = []
    for label, (who, values) in calls.items():
        response = send(api(who), method, url(path, values), {}, body)
        problems += [
            f"{label} ({response.status_code}): {p}" for p in _problems(method, path, response)
        ]
    assert not problems, "\n".join(problems)
