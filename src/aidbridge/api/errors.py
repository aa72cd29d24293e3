"""One error format for every error: ``{"detail": ..., "code": ..., "errors": [...]}``.

Each entry of ``errors`` names a ``field`` (a dotted path into the request body or a
query parameter) and a ``message``, so a client can point at what to fix. A server
error adds ``request_id``, the id the log line with the traceback carries (also sent as
``X-Request-ID``): a 500 ``internal_error`` for a bug, a 503 ``database_unavailable``
while the database cannot be reached (worth retrying). Django's own 400/403/404/413 for
an API request are given in this shape too, never as an HTML page, and so is Ninja's
405 for a method a path does not take (``MethodNotAllowedMiddleware``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from aidbridge.api.requestid import request_id
from aidbridge.core import refusals
from aidbridge.core.errors import DomainError

logger = logging.getLogger("aidbridge.api")
API_PREFIX = "/api/"
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = "5"
CLIENT_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad request", "bad_request"),
    403: ("forbidden", "forbidden"),
    404: ("no such resource", "not_found"),
    405: ("method not allowed", "method_not_allowed"),
    413: ("the request body is too large", "too_large"),
}


def _client_error(exc: Exception) -> int | None:
    """The 4xx Django gives ``exc`` (a refused request, not a bug), if it is one."""
    if isinstance(exc, RequestDataTooBig):
        return 413
    if isinstance(exc, SuspiciousOperation | BadRequest | MultiPartParserError):
        return 400
    if isinstance(exc, PermissionDenied):
        return 403
    return None


def error_body(request: HttpRequest, exc: BaseException | None) -> tuple[dict[str, Any], int]:
    """The JSON answer and status for an exception no narrower handler took; server
    errors are logged here, with the request id and the traceback."""
    status = _client_error(exc) if isinstance(exc, Exception) else None
    if status is not None:
        detail, code = CLIENT_ERRORS[status]
        return {"detail": detail, "code": code, "errors": []}, status
    rid = request_id(request)
    where = f"{request.method} {request.path}"
    if isinstance(exc, DATABASE_DOWN):
        logger.error("database unavailable [request_id=%s] %s", rid, where, exc_info=exc)
        detail, code, status = "the database is unavailable", "database_unavailable", 503
    else:
        logger.error("internal error [request_id=%s] %s", rid, where, exc_info=exc)
        detail, code, status = "internal error", "internal_error", 500
    return {"detail": detail, "code": code, "errors": [], "request_id": rid}, status


def _finish(response: HttpResponse, status: int) -> HttpResponse:
    if status == 503:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def handler(status: int) -> Callable[..., HttpResponse]:
    """Django's ``handlerNNN`` for ``status``: JSON under /api/, Django's page elsewhere.

    It answers what failed before or after an API view (a middleware, an unknown path);
    for a 500 the exception being handled says whether it was the database."""
    pages: dict[int, Callable[..., HttpResponse]] = {
        400: defaults.bad_request,
        403: defaults.permission_denied,
        404: defaults.page_not_found,
    }

    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            if status == 500:
                return defaults.server_error(request)
            return pages[status](request, exception)
        if status == 500:
            body, answered = error_body(request, sys.exc_info()[1])
        else:
            detail, code = CLIENT_ERRORS[status]
            body, answered = {"detail": detail, "code": code, "errors": []}, status
        return _finish(JsonResponse(body, status=answered), answered)

    return view


class MethodNotAllowedMiddleware:
    """Ninja answers a method a path does not take with a bare ``405 Method not
    allowed`` (text/html) before any exception handler runs; under /api/ this gives the
    error shape instead, keeping the ``Allow`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or not request.path.startswith(API_PREFIX):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        detail, code = CLIENT_ERRORS[405]
        if allowed:
            detail = f"{detail}: {request.method} {request.path} takes {allowed}"
        answer = JsonResponse({"detail": detail, "code": code, "errors": []}, status=405)
        if allowed:
            answer["Allow"] = allowed
        return answer


def _location(loc: list[Any] | tuple[Any, ...]) -> str:
    # Ninja prefixes locations with where the value came from ("body", "query") and the
    # schema's parameter name; clients want the field path inside the payload.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form"}:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "filters"}:
            parts = parts[1:]
    return ".".join(parts)


def json_answer(request: HttpRequest, body: Any, status: int) -> HttpResponse:
    """The answer ``api.create_response`` gives (the default JSON renderer), for the few
    views that answer outside their declared schema, without importing ``api.root``
    (which mounts every router: an app importing it would import itself)."""
    renderer = JSONRenderer()
    return HttpResponse(
        renderer.render(request, body, response_status=status),
        status=status,
        content_type=f"{renderer.media_type}; charset={renderer.charset}",
    )


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, refusals.api_body(exc), status=refusals.status_of(exc))

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
        # A refused bearer token says why (revoked, expired, unknown); otherwise no
        # credentials came at all.
        detail = "authentication required: a bearer token or a session"
        if exc.message != AuthenticationError().message:
            detail = exc.message
        return api.create_response(
            request,
            {"detail": detail, "code": "unauthenticated", "errors": []},
            status=401,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        detail, code = CLIENT_ERRORS[404]
        return api.create_response(
            request, {"detail": detail, "code": code, "errors": []}, status=404
        )

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        body, status = error_body(request, exc)
        return _finish(api.create_response(request, body, status=status), status)

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
