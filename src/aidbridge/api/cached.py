"""A JSON answer kept, rendered, under a key that changes whenever what it shows does.

For reads that cost far more to compute and serialise than to look up (the picture of
a large crisis): the endpoint names a version of its data (e.g. the crisis's figures'
``ledger.readings.fingerprint``) and the readers it is the same for, and this module
adds what else shapes the bytes: the full URL (filters, page, the ``next``/``previous``
links' host and scheme); ``core.cached`` adds the language and keeps the bytes (where,
and why sharing them between processes is only an economy). A hit costs a cache read; a
miss validates and renders the answer exactly as django-ninja would (the operation's
response schema, the API's JSON renderer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.renderers import JSONRenderer

from aidbridge.core import cached

# Bytes kept for the rare change that no version sees (a catalogue or party name edited
# in the admin): it shows within this many seconds.
DEFAULT_TTL_S = 60
# The API's renderer (``api.root`` keeps django-ninja's default).
RENDERER = JSONRenderer()
CONTENT_TYPE = f"{RENDERER.media_type}; charset={RENDERER.charset}"


def cache_key(name: str, request: HttpRequest, version: str, audience: str) -> str:
    return cached.key(f"api:{name}", version, audience, request.build_absolute_uri())


def cached_json(
    request: HttpRequest,
    *,
    name: str,
    version: str,
    audience: str,
    schema: type[Schema],
    make: Callable[[], Any],
    ttl: int = DEFAULT_TTL_S,
) -> HttpResponse:
    """The answer ``make()`` gives, validated by ``schema`` and rendered as the API does,
    kept under ``version`` (of the data) and ``audience`` (who may read the same bytes:
    it must say every rule of who sees what that the answer depends on)."""

    def render() -> Any:
        data = schema.model_validate(make()).model_dump()
        return RENDERER.render(request, data, response_status=200)

    found = cached.kept(cache_key(name, request, version, audience), render, ttl)
    return HttpResponse(found, content_type=CONTENT_TYPE)
