"""No never-circulated request reaches anyone it should not, through any read channel.

A crisis is built through the real services with one request in each state that matters:
a live draft, a draft withdrawn before submission, a submitted request, a returned one,
one closed by the centre before circulation, and a circulated one with an offer,
acceptance, dispatch and receipt, plus a published (releasable) and a draft sitrep.
Every text of a request carries its marker (``zqlive`` ...): title, situation, line
specification and the line's item, whose code and names are unique to that request
(the items are retired from the catalogue afterwards, so no catalogue list shows them).
An audit entry's target reads ``RFA draft #<id>`` before circulation, so that string
marks a request too.

Then every role walks every read channel, each (role, channel) its own test, and the
test asserts both ways: what the channel shows is within what the role may see there
(``may``), and what the role must see there does show (``must``).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from aidbridge.catalogue.models import Item
from aidbridge.conftest import ApiClient

from .visibility_world import (
    CENTRE,
    CIRC,
    CLSD,
    EVERY,
    LIVE,
    RETN,
    RFA,
    SUBM,
    Crisis,
    build_world,
)

NONE: frozenset[str] = frozenset()
ROLES = {
    "requester_poc": "ita",
    "other_poc": "esp",
    "duty_officer": "duty",
    "head_of_centre": "head",
    "airlift": "airlift",
    "observer": "ocha",
    "anonymous": None,
}


def visible(who: str | None) -> frozenset[str]:
    """Who may see which request at all (the rule of ``requests.selectors``)."""
    if who == "ita":
        return EVERY
    if who in CENTRE:
        return frozenset({SUBM, RETN, CLSD, CIRC})
    return frozenset({CIRC}) if who else NONE


def pictured(who: str | None) -> frozenset[str]:
    """The shared picture: circulated requests only, for every signed-in role."""
    return frozenset({CIRC}) if who else NONE


def centre(who: str | None) -> frozenset[str]:
    return frozenset({CIRC}) if who in CENTRE else NONE


def staff(who: str | None) -> frozenset[str]:
    """Admin lists: the centre (staff) sees what the centre may see; others nothing."""
    return visible(who) if who in CENTRE else NONE


def nothing(who: str | None) -> frozenset[str]:
    return NONE


@pytest.fixture
def world(users: dict[str, Any], items: dict[str, Item], crisis: Any) -> Crisis:
    return build_world(users, items, crisis)


# --- reading a channel ----------------------------------------------------------------


def _text(response: Any) -> str:
    """The body as text; a workbook's every cell."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        return _book_text(body)
    return body.decode("utf-8", "replace")


def _book_text(body: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


class Reader:
    """One role's API client (bearer token) and browser (session)."""

    def __init__(self, user: Any | None):
        self.user = user
        self.api = ApiClient(user)
        self.browser = Client()
        if user is not None:
            self.browser.force_login(user)

    def api_get(self, path: str, **params: Any) -> str:
        response = self.api.get(path, **params)
        assert response.status_code in (200, 401, 403, 404), (path, response.status_code)
        return _text(response)

    def page(self, path: str) -> str:
        response = self.browser.get(path)
        assert response.status_code in (200, 302, 403, 404), (path, response.status_code)
        return _text(response)


Fetch = Callable[[Reader, Crisis], str]


def each_rfa(read: Callable[[Reader, RFA], str]) -> Fetch:
    return lambda r, w: "\n".join(read(r, rfa) for rfa in w.rfas.values())


@dataclass(frozen=True)
class Channel:
    fetch: Fetch
    may: Callable[[str | None], frozenset[str]]
    # What the role must find there (default: all it may see there).
    must: Callable[[str | None], frozenset[str]] | None = None


def inbox(who: str | None) -> frozenset[str]:
    """Notices: the centre hears of every submission; the requester of the return, the
    closure and the circulation (its own withdrawals and drafts are news to nobody);
    everyone else of the circulation only."""
    if who == "ita":
        return frozenset({RETN, CLSD, CIRC})
    return visible(who)


def dashboard_must(who: str | None) -> frozenset[str]:
    """The live draft heads its nation's timeline; the centre's list of requests to
    validate shows the submitted one; everyone else sees the circulated one's story."""
    return {"ita": frozenset({LIVE}), "duty": frozenset({SUBM}), "head": frozenset({SUBM})}.get(
        who or "", pictured(who)
    )


def export_command(reader: Reader, world: Crisis, table: str) -> str:
    """``aidbridge export TABLE --as USER`` in every format (the anonymous have no user)."""
    if reader.user is None:
        return ""
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt in FORMATS:
            path = Path(folder) / f"out.{fmt}"
            call_command(
                "export",
                table,
                "-o",
                str(path),
                "--crisis",
                world.code,
                "--as",
                reader.user.username,
                "--format",
                fmt,
                stderr=io.StringIO(),
            )
            out.append(_book_text(path.read_bytes()) if fmt == "xlsx" else path.read_text())
    return "\n".join(out)


EXPORT_SCOPE = {"picture": pictured, "rfas": visible, "offers": pictured, "deliveries": pictured}
FORMATS = ("csv", "xlsx", "hxl")

CHANNELS: dict[str, Channel] = {
    "api-rfa-list": Channel(lambda r, w: r.api_get("/rfas", limit=100), visible),
    "api-rfa-search": Channel(lambda r, w: r.api_get("/rfas", search="zq", limit=100), visible),
    "api-rfa-detail-and-lines": Channel(
        each_rfa(lambda r, rfa: r.api_get(f"/rfas/{rfa.pk}")), visible
    ),
    "api-rfa-history": Channel(
        each_rfa(lambda r, rfa: r.api_get(f"/rfas/{rfa.pk}/history")), visible
    ),
    "api-offers-and-lines": Channel(
        lambda r, w: (
            r.api_get("/offers", limit=100)
            + r.api_get(f"/offers/{w.offer_id}")
            + r.api_get(f"/offers/{w.offer_id}/history")
        ),
        pictured,
    ),
    "api-dispatches": Channel(
        lambda r, w: (
            r.api_get("/dispatches", limit=100) + r.api_get(f"/dispatches/{w.dispatch_id}")
        ),
        pictured,
    ),
    "api-crisis-party-user-history": Channel(
        lambda r, w: (
            r.api_get(f"/crises/{w.code}/history")
            + r.api_get("/parties/ITA/history")
            + r.api_get("/users/ita-poc/history")
        ),
        nothing,
    ),
    "api-inbox": Channel(lambda r, w: r.api_get("/notifications", limit=100), inbox),
    "api-picture": Channel(
        lambda r, w: r.api_get(f"/crises/{w.code}/picture", limit=100), pictured
    ),
    "api-sitreps": Channel(
        lambda r, w: (
            r.api_get(f"/crises/{w.code}/sitreps")
            + r.api_get(f"/sitreps/{w.published_sitrep_id}")
            + r.api_get(f"/sitreps/{w.draft_sitrep_id}")
        ),
        pictured,
    ),
    "api-offers-template": Channel(
        lambda r, w: "".join(
            r.api_get("/templates/offers", format=f, crisis=w.code) for f in FORMATS
        ),
        pictured,
    ),
    "api-needs-template": Channel(
        lambda r, w: "".join(r.api_get("/templates/needs", format=f) for f in FORMATS), nothing
    ),
    "page-dashboard-and-timeline": Channel(
        lambda r, w: r.page(f"/crises/{w.code}/"), visible, dashboard_must
    ),
    "page-rfa-list": Channel(lambda r, w: r.page("/rfas/") + r.page("/rfas/?q=zq"), visible),
    "page-rfa-detail": Channel(each_rfa(lambda r, rfa: r.page(f"/rfas/{rfa.pk}/")), visible),
    "page-matrix": Channel(lambda r, w: r.page(f"/crises/{w.code}/matrix/"), pictured),
    "page-matrix-csv": Channel(lambda r, w: r.page(f"/crises/{w.code}/matrix.csv"), pictured),
    "page-offers": Channel(
        lambda r, w: r.page(f"/offers/?crisis={w.code}") + r.page(f"/offers/{w.offer_id}/"),
        pictured,
    ),
    "page-offers-template": Channel(
        lambda r, w: "".join(
            r.page(f"/crises/{w.code}/import/offers/template.{f}") for f in FORMATS
        ),
        pictured,
    ),
    "page-sitrep-draft": Channel(lambda r, w: r.page(f"/sitreps/{w.draft_sitrep_id}/"), centre),
    "page-sitrep-published": Channel(
        lambda r, w: (
            r.page(f"/crises/{w.code}/sitreps/") + r.page(f"/sitreps/{w.published_sitrep_id}/")
        ),
        pictured,
    ),
    "page-sitrep-public": Channel(
        lambda r, w: (
            r.page("/public/sitreps/") + r.page(f"/public/sitreps/{w.published_sitrep_id}/")
        ),
        lambda who: frozenset({CIRC}),
    ),
    "admin-audit-entries": Channel(lambda r, w: r.page("/admin/audit/auditentry/?all="), staff),
    "admin-rfas": Channel(lambda r, w: r.page("/admin/requests/requestforassistance/"), staff),
    "admin-rfa-change": Channel(
        each_rfa(lambda r, rfa: r.page(f"/admin/requests/requestforassistance/{rfa.pk}/change/")),
        staff,
    ),
    "admin-offers": Channel(
        lambda r, w: r.page("/admin/offers/offer/") + r.page("/admin/offers/offerline/"),
        lambda who: pictured(who) if who in CENTRE else NONE,
    ),
    "admin-notifications": Channel(
        lambda r, w: r.page("/admin/notifications/notification/"),
        lambda who: visible(who) if who in CENTRE else NONE,
    ),
    "admin-dispatches-receipts": Channel(
        lambda r, w: r.page("/admin/logistics/dispatch/") + r.page("/admin/logistics/receipt/"),
        lambda who: pictured(who) if who in CENTRE else NONE,
        nothing,  # their rows name offers, not requests
    ),
    **{
        f"command-export-{table}": Channel(
            (lambda t: lambda r, w: export_command(r, w, t))(table), scope, None
        )
        for table, scope in EXPORT_SCOPE.items()
    },
    "command-offers-template": Channel(
        lambda r, w: export_command(r, w, "offers-template"), pictured
    ),
    **{
        f"api-export-{table}-{fmt}": Channel(
            (lambda t, f: lambda r, w: r.api_get(f"/crises/{w.code}/export/{t}", format=f))(
                table, fmt
            ),
            scope,
        )
        for table, scope in EXPORT_SCOPE.items()
        for fmt in FORMATS
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_every_channel_shows_each_role_what_it_may_see(
    role: str, world: Crisis, users: dict[str, Any]
) -> None:
    """One world per role, every channel read in a savepoint rolled back after it (a
    channel that writes, such as drafting a sitrep, cannot change what the next one
    shows); every problem of every channel is reported, not only the first."""
    who = ROLES[role]
    reader = Reader(users[who] if who else None)
    problems = []
    for name, spec in CHANNELS.items():
        with transaction.atomic():
            text = spec.fetch(reader, world)
            transaction.set_rollback(True)
        shown = {key for key, marker in world.markers().items() if marker.search(text)}
        may = spec.may(who)
        must = (spec.must or spec.may)(who)
        if shown - may:
            problems.append(f"{role} sees {sorted(shown - may)} through {name}")
        if not must <= shown:
            problems.append(f"{role} misses {sorted(must - shown)} in {name}")
    assert not problems, "\n".join(problems)


def test_detail_status_follows_visibility(world: Crisis, users: dict[str, Any]) -> None:
    """Beyond the text: a request one may not see does not exist (404), as a page too."""
    for who in ROLES.values():
        reader = Reader(users[who] if who else None)
        for key, rfa in world.rfas.items():
            api = reader.api.get(f"/rfas/{rfa.pk}").status_code
            page = reader.browser.get(f"/rfas/{rfa.pk}/").status_code
            if key in visible(who):
                assert (api, page) == (200, 200), (who, key)
            elif who is None:
                assert (api, page) == (401, 302), (who, key)
            else:
                assert (api, page) == (404, 404), (who, key)


def test_only_a_circulated_request_can_be_repeated(world: Crisis, users: dict[str, Any]) -> None:
    """A repeat names the request it repeats to all who see it: that one must have been
    circulated, or the link would show a draft to nations it never reached."""
    api = ApiClient(users["ita"])
    body = {"crisis": "covid-19-2020", "title": "again", "lines": []}
    for key, rfa in world.rfas.items():
        response = api.post("/rfas", {**body, "repeat_of": rfa.pk})
        if key == CIRC:
            assert response.status_code == 201, response.json()
        else:
            assert response.status_code == 422, key
            assert response.json()["errors"][0]["field"] == "repeat_of"


def test_viewers_and_visibility_are_one_rule(world: Crisis, users: dict[str, Any]) -> None:
    """``viewers`` (whom to notify) reads the same rule as ``visibility`` (what to show)."""
    from django.contrib.auth import get_user_model

    from aidbridge.requests.selectors import rfas_visible_to, viewers

    for rfa in world.rfas.values():
        told = set(get_user_model().objects.filter(viewers(rfa)).values_list("pk", flat=True))
        may = {u.pk for u in users.values() if rfas_visible_to(u).filter(pk=rfa.pk).exists()}
        assert told == may, rfa.title


def test_nobody_is_told_of_a_request_they_may_not_see(world: Crisis, users: dict[str, Any]) -> None:
    """Every notification in the database went to someone who may see its request."""
    from aidbridge.notifications.models import Notification

    by_link = {f"/api/v1/rfas/{rfa.pk}": key for key, rfa in world.rfas.items()}
    seen = set()
    for note in Notification.objects.select_related("recipient"):
        key = by_link.get(note.link)
        if key is None:
            continue
        who = next(k for k, u in users.items() if u.pk == note.recipient_id)
        assert key in visible(who), f"{who} told about {key}: {note.subject}"
        seen.add(key)
    assert seen == {SUBM, RETN, CLSD, CIRC}
