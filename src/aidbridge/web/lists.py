"""The searchable lists: offers, dispatches and the audit trail.

Each is a GET form (search, filters, sort) over a page of 25 rows, and the same
address with ``format=csv|xlsx|hxl`` takes the filtered list away, written by the
exporters of ``aidbridge.interop`` (the audit trail with the same writer). Reads come
from ``web.finding``; this module only turns the request into its arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.models import Role
from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.models import AuditEntry
from aidbridge.audit.sentences import sentences
from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.interop.exporters import Col, deliveries_table, offers_table, write_columns
from aidbridge.interop.writers import CONTENT_TYPES, EXTENSIONS
from aidbridge.logistics.models import Dispatch
from aidbridge.offers.models import OfferLine
from aidbridge.parties.models import Party
from aidbridge.web import finding
from aidbridge.web.affordances import crisis_actions

PAGE_SIZE = 25
FORMATS = ("csv", "xlsx", "hxl")


def export_file(data: bytes, fmt: str, name: str) -> HttpResponse:
    """A list taken away: ``data`` as an attachment named after the list."""
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS[fmt]}"'
    return response


def _page(request: HttpRequest, rows: Any) -> tuple[Page[Any], str]:
    """The asked page and the list's query without it (for the page links)."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return page, query.urlencode()


def _select(
    name: str, label: Any, value: str, options: Iterable[tuple[str, Any]]
) -> dict[str, Any]:
    return {"name": name, "label": label, "value": value, "options": list(options)}


def _nations() -> list[tuple[str, str]]:
    return [
        (code, code) for code in Party.objects.filter(active=True).values_list("code", flat=True)
    ]


def _common(request: HttpRequest, chosen: dict[str, str], nav: str) -> dict[str, Any]:
    crisis = Crisis.objects.filter(code=chosen["crisis"]).first() if chosen["crisis"] else None
    return {
        "crisis": crisis,
        "crisis_actions": crisis_actions(request.user, crisis) if crisis else set(),
        "nav": nav,
        "chosen": chosen,
        "formats": FORMATS,
        "crisis_options": [(c.code, c) for c in Crisis.objects.order_by("-started_on")],
    }


def _sorts(labels: dict[str, Any]) -> list[tuple[str, Any]]:
    return list(labels.items())


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    """A point of contact sees their nation's offers; others filter by donor."""
    profile = profile_of(request.user)
    own = profile.party.code if profile.role == Role.NATIONAL_POC else None
    chosen = finding.OFFERS.chosen(request.GET)
    rows = finding.offers(request.user, chosen, own_party=own)
    context = _common(request, chosen, "offers")
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        cols, lines = offers_table(request.user, context["crisis"], rows)
        return export_file(write_columns(fmt, cols, lines, "offers"), fmt, "offers")
    page, query = _page(request, rows)
    filters = [
        _select("status", _("Line status"), chosen["status"], OfferLine.Status.choices),
        _select("item", _("Item"), chosen["item"], _items()),
        _select(
            "kind",
            _("Kind"),
            chosen["kind"],
            [("answer", _("Answers to a request")), ("standing", _("Standing offers"))],
        ),
    ]
    if own is None:
        filters.insert(0, _select("donor", _("Donor"), chosen["donor"], _nations()))
    context.update(
        page=page,
        query=query,
        own=own is not None,
        filters=filters,
        search_hint=_("Reference, request or conditions"),
        sorts=_sorts(
            {
                "-created": _("Newest first"),
                "created": _("Oldest first"),
                "reference": _("Reference"),
                "donor": _("Donor"),
                "available": _("Available from"),
            }
        ),
    )
    return render(request, "web/offers.html", context)


def _items() -> list[tuple[str, str]]:
    return [(i.code, f"{i.name} ({i.code})") for i in Item.objects.filter(active=True)]


@login_required
def dispatch_list(request: HttpRequest) -> HttpResponse:
    """Aid on its way and arrived: what left, how, when it is expected, what arrived."""
    profile_of(request.user)
    chosen = finding.DISPATCHES.chosen(request.GET)
    rows = finding.dispatches(request.user, chosen)
    context = _common(request, chosen, "dispatches")
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        cols, moves = deliveries_table(request.user, context["crisis"], rows)
        return export_file(write_columns(fmt, cols, moves, "deliveries"), fmt, "dispatches")
    page, query = _page(request, rows)
    nations = _nations()
    context.update(
        page=page,
        query=query,
        filters=[
            _select("donor", _("Donor"), chosen["donor"], nations),
            _select("requester", _("Requesting nation"), chosen["requester"], nations),
            _select(
                "state",
                _("Status"),
                chosen["state"],
                [("in_transit", _("In transit")), ("received", _("Received"))],
            ),
            _select("mode", _("Transport"), chosen["mode"], Dispatch.Mode.choices),
        ],
        search_hint=_("Tracking reference, carrier, offer, request or item"),
        sorts=_sorts(
            {
                "-dispatched": _("Newest first"),
                "dispatched": _("Oldest first"),
                "expected": _("Estimated arrival"),
                "donor": _("Donor"),
                "requester": _("Requesting nation"),
            }
        ),
    )
    return render(request, "web/dispatches.html", context)


def _audit_row(pair: tuple[AuditEntry, str]) -> dict[str, Any]:
    entry, sentence = pair
    return {
        "at": entry.at,
        "actor": entry.actor.get_username() if entry.actor else "",
        "party": entry.actor_party.code if entry.actor_party else "",
        "action": entry.action,
        "what": sentence,
        "target": entry.target_repr,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "reason": entry.reason,
        "crisis": entry.crisis.code if entry.crisis else "",
    }


# The audit export's columns: header and HXL hashtag, read from ``_audit_row``.
AUDIT_COLUMNS = (
    ("at", "#date"),
    ("actor", "#contact+name"),
    ("party", "#org+code"),
    ("action", "#meta+action"),
    ("what", "#description"),
    ("target", "#meta+target"),
    ("from_state", "#status+from"),
    ("to_state", "#status+to"),
    ("reason", "#meta+notes"),
    ("crisis", "#crisis+code"),
)


def _audit_columns() -> list[Col]:
    def column(name: str) -> Callable[[dict[str, Any]], Any]:
        return lambda row: row[name]

    return [Col(name, tag, column(name)) for name, tag in AUDIT_COLUMNS]


AUDIT_KIND_LABELS = {
    "rfa": gettext_lazy("Requests"),
    "offer": gettext_lazy("Offers"),
    "offer_line": gettext_lazy("Offer lines"),
    "dispatch": gettext_lazy("Dispatches"),
    "receipt": gettext_lazy("Receipts"),
    "sitrep": gettext_lazy("Sitreps"),
    "airlift_plan": gettext_lazy("Airlift plans"),
    "sortie": gettext_lazy("Sorties"),
    "allocation_run": gettext_lazy("Allocation runs"),
    "user": gettext_lazy("Users"),
    "party": gettext_lazy("Parties"),
    "crisis": gettext_lazy("Crises"),
}
EXPORT_LIMIT = 50_000  # an audit export is one file in memory: its newest entries


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit trail the user may see, as sentences, searchable and exportable."""
    profile_of(request.user)
    chosen = finding.AUDIT.chosen(request.GET)
    rows = finding.audit_entries(request.user, chosen)
    context = _common(request, chosen, "audit")
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        table = [_audit_row(pair) for pair in sentences(rows[:EXPORT_LIMIT])]
        return export_file(write_columns(fmt, _audit_columns(), table, "audit"), fmt, "audit-trail")
    page, query = _page(request, rows)
    context.update(
        page=page,
        query=query,
        entries=list(page.object_list),
        filters=[
            _select(
                "kind",
                _("Kind"),
                chosen["kind"],
                [(k, AUDIT_KIND_LABELS[k]) for k in finding.AUDIT_KINDS],
            ),
            _select("party", _("Party"), chosen["party"], _nations()),
        ],
        search_hint=_("Object, reason or user name"),
        sorts=_sorts({"-at": _("Newest first"), "at": _("Oldest first"), "action": _("Action")}),
    )
    return render(request, "web/audit.html", context)
