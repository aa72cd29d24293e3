"""The client's scheme from an RFC 7239 ``Forwarded`` header, for a TLS proxy that says
``Forwarded: proto=https`` rather than ``X-Forwarded-Proto``.

Acts only when the deployment trusts a proxy (``SECURE_PROXY_SSL_HEADER`` is set, i.e.
``AIDBRIDGE_HTTPS=1``), and only to mark a request secure: the last element is the one
the nearest proxy (ours) wrote, and the proxy must overwrite the header, since a client
could otherwise send it. An ``X-Forwarded-Proto`` header, when present, decides instead
(Django reads it through ``SECURE_PROXY_SSL_HEADER``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def forwarded_proto(header: str) -> str | None:
    """The ``proto`` of the last element of a ``Forwarded`` header, lower-cased."""
    last = header.split(",")[-1]
    for pair in last.split(";"):
        key, _, value = pair.partition("=")
        if key.strip().lower() == "proto":
            return value.strip().strip('"').lower() or None
    return None


class ForwardedProtoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        meta = request.META
        if (
            trusted
            and trusted[0] not in meta
            and forwarded_proto(meta.get("HTTP_FORWARDED", "")) == "https"
        ):
            # The WSGI scheme is what Django falls back on when the X-Forwarded-Proto
            # header is absent (``request.META`` is the WSGI environ).
            meta["wsgi.url_scheme"] = "https"
        return self.get_response(request)
