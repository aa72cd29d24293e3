"""A request id on every request, echoed in ``X-Request-ID`` and named in error logs.

A client (or the proxy in front) may send its own id to follow one request through its
logs and ours; anything that is not a short plain token is replaced, so a hostile header
cannot forge log lines or bloat them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")


def request_id(request: HttpRequest) -> str:
    """The id of ``request``: the client's if sane, else a new one (the same on every call)."""
    known: str | None = getattr(request, "request_id", None)
    if known:
        return known
    incoming = request.headers.get(HEADER, "")
    rid = incoming if SANE.fullmatch(incoming) else uuid.uuid4().hex
    request.request_id = rid  # type: ignore[attr-defined]
    return rid


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id(request)
        response = self.get_response(request)
        response[HEADER] = rid
        return response
