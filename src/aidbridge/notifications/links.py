"""Where a notification leads a person: the page of the object it is about.

A notification stores its object's API path (``/api/v1/offers/7``), which API clients
follow; people follow the page, in the inbox (a path) and in e-mails (an absolute URL
on the site's base address, ``settings.AIDBRIDGE_BASE_URL``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from aidbridge.logistics.models import Dispatch

_API = re.compile(r"^/api/v1/(?P<kind>[a-z-]+)/(?P<pk>\d+)$")
# The page of each kind of object a notification is about.
_PAGES = {
    "rfas": "web:rfa_detail",
    "offers": "web:offer_detail",
    "sitreps": "sitreps:document",
}


def page_paths(links: Iterable[str]) -> dict[str, str]:
    """Each API path's page path ('' when it has none); one query for the dispatches,
    whose page is their offer's."""
    parsed = {link: _API.match(link) for link in set(links) if link}
    dispatch_ids = [int(m["pk"]) for m in parsed.values() if m and m["kind"] == "dispatches"]
    offer_of = dict(
        Dispatch.objects.filter(pk__in=dispatch_ids).values_list("pk", "offer_line__offer_id")
    )
    out: dict[str, str] = {}
    for link, match in parsed.items():
        out[link] = ""
        if match is None:
            continue
        kind, pk = match["kind"], int(match["pk"])
        if kind == "dispatches":
            if pk in offer_of:
                out[link] = reverse("web:offer_detail", args=[offer_of[pk]])
        elif kind in _PAGES:
            out[link] = reverse(_PAGES[kind], args=[pk])
    return out


def absolute(path: str) -> str:
    """The address of a page on the site, for a mail read outside it."""
    return f"{settings.AIDBRIDGE_BASE_URL.rstrip('/')}{path}" if path else ""
