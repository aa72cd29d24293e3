"""Where a notification leads a person: the page of the object it is about.

A notification stores its object's API path (``/api/v1/offers/7``), which API clients
follow; people follow the page, in the inbox (a path) and in e-mails (an absolute URL
on the site's base address, ``settings.AIDBRIDGE_BASE_URL``).

Some objects have no page of their own: a dispatch is shown on its offer's page. The app
that knows (``logistics``, above this one) registers how to find it (``register_via``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse

_API = re.compile(r"^/api/v1/(?P<kind>[a-z-]+)/(?P<pk>\d+)$")
# The page of each kind of object a notification is about.
_PAGES = {
    "rfas": "web:rfa_detail",
    "offers": "web:offer_detail",
    "sitreps": "sitreps:document",
}
# Kinds shown on another object's page: kind -> (that page's URL name, ids -> its ids).
_VIA: dict[str, tuple[str, Callable[[list[int]], dict[int, int]]]] = {}


def register_via(kind: str, page: str, owners: Callable[[list[int]], dict[int, int]]) -> None:
    """Objects of ``kind`` are shown on the page ``page`` of their owner; ``owners``
    maps their ids to the owners' ids in one query (called from an AppConfig.ready)."""
    _VIA[kind] = (page, owners)


def page_paths(links: Iterable[str]) -> dict[str, str]:
    """Each API path's page path ('' when it has none); one query per kind shown on its
    owner's page (the dispatches, whose page is their offer's)."""
    parsed = {link: _API.match(link) for link in set(links) if link}
    owner_of = {
        kind: owners([int(m["pk"]) for m in parsed.values() if m and m["kind"] == kind])
        for kind, (_page, owners) in _VIA.items()
    }
    out: dict[str, str] = {}
    for link, match in parsed.items():
        out[link] = ""
        if match is None:
            continue
        kind, pk = match["kind"], int(match["pk"])
        if kind in _VIA:
            if pk in owner_of[kind]:
                out[link] = reverse(_VIA[kind][0], args=[owner_of[kind][pk]])
        elif kind in _PAGES:
            out[link] = reverse(_PAGES[kind], args=[pk])
    return out


def absolute(path: str) -> str:
    """The address of a page on the site, for a mail read outside it."""
    return f"{settings.AIDBRIDGE_BASE_URL.rstrip('/')}{path}" if path else ""
