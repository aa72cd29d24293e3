"""Published sitreps rendered once and served from the database with caching headers.

A published sitrep never changes, so each of its files (a language, a part, a format)
is rendered on first demand, stored as ``SitrepRendering`` and served from there: the
ETag is the content's hash, Last-Modified the publication time, and a client that
already holds the file gets 304. Drafts are rendered afresh every time, never stored.

Two first requests for the same file must not both pay for the render: on PostgreSQL
the renderer holds the sitrep's row lock and the second finds the stored file once the
first has committed. SQLite has only a database-wide write lock, which must not be held
through a render; there a rare double render is accepted and one file is kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from aidbridge.sitreps.models import Sitrep, SitrepRendering

# How long a shared cache may serve a released sitrep without asking again. Short,
# because a new deployment may render the same sitrep differently.
PUBLIC_MAX_AGE = 3600


def _stored(sitrep: Sitrep, kind: str, lang: str, part: str) -> SitrepRendering | None:
    return (
        SitrepRendering.objects.filter(sitrep=sitrep, kind=kind, lang=lang, part=part)
        .defer("content")
        .first()
    )


def _store(sitrep: Sitrep, kind: str, lang: str, part: str, content: bytes) -> SitrepRendering:
    try:
        with transaction.atomic():
            return SitrepRendering.objects.create(
                sitrep=sitrep,
                kind=kind,
                lang=lang,
                part=part,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
    except IntegrityError:  # stored meanwhile by a request that did not wait for us
        stored = _stored(sitrep, kind, lang, part)
        assert stored is not None
        return stored


def stored_rendering(
    sitrep: Sitrep, kind: str, lang: str, part: str, make: Callable[[], bytes]
) -> SitrepRendering:
    """The stored file of a published ``sitrep``, rendered by ``make`` if it is the first
    time. ``content`` is deferred when the file was already stored (a 304 never reads it)."""
    if not sitrep.is_published:
        raise ValueError("only a published sitrep is rendered once")
    found = _stored(sitrep, kind, lang, part)
    if found is not None:
        return found
    if connection.vendor == "sqlite":
        # SQLite has one write lock for the whole database: holding it through a render
        # (seconds for an annex) would stall every other writer. Two first requests may
        # then both render; the unique key keeps one file.
        return _store(sitrep, kind, lang, part, make())
    with transaction.atomic():
        Sitrep.objects.select_for_update().filter(pk=sitrep.pk).values_list("pk").first()
        found = _stored(sitrep, kind, lang, part)
        if found is not None:
            return found
        return _store(sitrep, kind, lang, part, make())


def sitrep_response(
    request: HttpRequest,
    sitrep: Sitrep,
    kind: str,
    lang: str,
    part: str,
    make: Callable[[], bytes],
    content_type: str,
) -> HttpResponse:
    """``make()`` as a response: rendered live for a draft; for a published sitrep
    stored once and served with ETag, Last-Modified and Cache-Control (public when the
    sitrep is releasable, private otherwise), or 304 when the client has it already."""
    if not sitrep.is_published:
        response = HttpResponse(make(), content_type=content_type)
        patch_cache_control(response, private=True, no_cache=True)
        return response
    stored = stored_rendering(sitrep, kind, lang, part, make)
    etag = f'"{stored.sha256}"'
    assert sitrep.published_at is not None
    headers = HttpResponse(content_type=content_type)
    headers["ETag"] = etag
    headers["Last-Modified"] = http_date(sitrep.published_at.timestamp())
    if sitrep.releasable:
        patch_cache_control(headers, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        # Revalidated each time: the reader's access is checked again before a 304.
        patch_cache_control(headers, private=True, no_cache=True)
    answer = get_conditional_response(
        request, etag=etag, last_modified=int(sitrep.published_at.timestamp()), response=headers
    )
    if answer is not None and answer is not headers:
        return answer
    headers.content = bytes(stored.content)
    return headers
