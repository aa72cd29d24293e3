"""One error format for every 4xx: ``{"detail": ..., "code": ..., "errors": [...]}``.

Each entry of ``errors`` names a ``field`` (a dotted path into the request body or a
query parameter) and a ``message``, so a client can point at what to fix.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from aidbridge.core.errors import DomainError


def _location(loc: list[Any] | tuple[Any, ...]) -> str:
    # Ninja prefixes locations with where the value came from ("body", "query") and the
    # schema's parameter name; clients want the field path inside the payload.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form"}:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "filters"}:
            parts = parts[1:]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return api.create_response(
            request,
            {"detail": exc.message, "code": exc.code, "errors": errors},
            status=exc.status,
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _location(e.get("loc", ())), "message": e.get("msg", "invalid")}
            for e in exc.errors
        ]
        summary = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors)
        return api.create_response(
            request,
            {"detail": summary or "invalid input", "code": "validation_error", "errors": errors},
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            {
                "detail": "authentication required: a bearer token or a session",
                "code": "unauthenticated",
                "errors": [],
            },
            status=401,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            message = "the request body is not valid JSON"
            return api.create_response(
                request,
                {
                    "detail": message,
                    "code": "malformed_json",
                    "errors": [{"field": "body", "message": message}],
                },
                status=400,
            )
        return api.create_response(
            request,
            {"detail": str(exc), "code": "http_error", "errors": []},
            status=exc.status_code,
        )
