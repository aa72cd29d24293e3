"""The OpenAPI document: one component per schema, and every error response declared.

Pydantic names a definition after the last part of its qualified name, so the nested
``TextChoices`` of different models (``Crisis.Status``, ``Request.Status``, ...) were all
``Status`` and Ninja kept whichever came last. Here a definition is named after its whole
qualified name (``CrisisStatus``), and the document refuses to be built when two different
schemas still claim one name: a wrong document is never served.

Error responses are derived from what an operation can meet (authentication, a body, a
path, an unsafe method), once for every operation, in the shape of ``ErrorOut``.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import ninja.openapi.schema as ninja_openapi
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import CoreModeRef, CoreRef, DefsRef

from aidbridge.api.schemas import ErrorOut


class ComponentNameClash(RuntimeError):
    """Two different schemas would be published under one component name."""


def _joined_qualname(component: str) -> str:
    # "aidbridge.crises.models.Crisis.Status:140" -> "aidbridge.crises.models.CrisisStatus:140"
    dotted, sep, ident = component.partition(":")
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        if ".".join(parts[:cut]) in sys.modules:
            return ".".join(parts[:cut]) + "." + "".join(parts[cut:]) + sep + ident
    return component


class QualifiedNames(NinjaGenerateJsonSchema):
    """Definitions named after their qualified name, nested classes included."""

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        core_ref, mode = core_mode_ref
        pieces = re.split(r"([\][,])", core_ref)
        joined = "".join(_joined_qualname(p) for p in pieces)
        return super().get_defs_ref((CoreRef(joined), mode))


# Ninja builds every schema with the generator named in its module; there is no setting.
ninja_openapi.NinjaGenerateJsonSchema = QualifiedNames  # type: ignore[misc]

ERROR_REF = "#/components/schemas/ErrorOut"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
DESCRIPTIONS = {
    400: "Bad request: a body that is not JSON, or a value a business rule refuses",
    401: "Authentication required: no bearer token or session, or a wrong one",
    403: "Forbidden: the role or nation does not allow this",
    404: "Not found, or not visible to this user",
    409: "Conflict: the object is not in a state that allows this action",
    413: "The body or the uploaded file is larger than the limit",
    422: "Invalid input: each entry of errors names a field",
    429: "Too many failed sign-ins: locked for a cool-off (see Retry-After)",
    503: "The database is unreachable; retry later",
}


def file_upload(field: str = "file") -> dict[str, Any]:
    """``openapi_extra`` of an operation that reads a multipart file itself
    (``interop.uploads.uploaded_file``), so the document shows the body and its 413."""
    schema = {
        "type": "object",
        "required": [field],
        "properties": {field: {"type": "string", "format": "binary"}},
    }
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


def errors_also(*statuses: int) -> dict[str, Any]:
    """``openapi_extra`` declaring errors an operation gives beyond what
    ``error_statuses`` infers (the 401 and 429 of signing in without ``auth``)."""
    return {
        "responses": {
            status: {
                "description": DESCRIPTIONS[status],
                "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
            }
            for status in statuses
        }
    }


def _uploads_a_file(operation: Operation) -> bool:
    if any(m.__ninja_param_source__ == "file" for m in operation.models):
        return True
    body = (operation.openapi_extra or {}).get("requestBody", {})
    return "multipart/form-data" in body.get("content", {})


def error_statuses(operation: Operation) -> list[int]:
    """The error statuses an operation can answer with, from what it is exposed to."""
    sources = {m.__ninja_param_source__ for m in operation.models}
    statuses = {503}
    if operation.auth_callbacks:
        statuses |= {401, 403}
    if "path" in sources:
        statuses.add(404)
    if sources:
        statuses |= {400, 422}
    if set(operation.methods) & UNSAFE:
        statuses |= {400, 404, 409, 422}
    if _uploads_a_file(operation) or sources & {"body", "form"}:
        statuses |= {400, 413, 422}
    return sorted(statuses)


class OpenAPIDocument(OpenAPISchema):
    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, schema in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != schema:
                raise ComponentNameClash(
                    f"two different schemas are named {name!r}: {known} and {schema}"
                )
        super().add_schema_definitions(definitions)

    def responses(self, operation: Operation) -> dict[int, Any]:
        result: dict[int, Any] = super().responses(operation)
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        self.add_schema_definitions({"ErrorOut": error_schema, **error_schema.pop("$defs", {})})
        for status in error_statuses(operation):
            result.setdefault(
                status,
                {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
                },
            )
        return result


class DocumentedAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return OpenAPIDocument(api=self, path_prefix=path_prefix)
