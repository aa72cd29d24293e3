"""Refuse a NUL character anywhere in a request's path, query string or form fields.

PostgreSQL cannot store or even compare text holding NUL, so such a value would fail at
the database (a 500). JSON bodies are checked field by field by the API's schemas
(``api.schemas.InputSchema``); this guard covers what reaches views as plain text:
path segments (``/crises/{code}``), query parameters and the pages' form posts
(multipart uploads go through Django forms, whose text fields refuse NUL themselves).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from aidbridge.core.text import NUL

MESSAGE = "must not contain NUL characters"


def _offending_field(request: HttpRequest) -> str | None:
    if NUL in request.path:
        return "path"
    sources = [request.GET]
    # Multipart posts (uploads) are left to their forms: reading them here would come
    # before the views install their size-limited upload handler.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists():
            if NUL in key or any(NUL in v for v in values):
                return key.replace(NUL, "") or "query"
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _offending_field(request)
        if field is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": f"{field}: {MESSAGE}",
                    "code": "validation_error",
                    "errors": [{"field": field, "message": MESSAGE}],
                },
                status=422,
            )
        return HttpResponse(f"{field}: {MESSAGE}", status=400, content_type="text/plain")
