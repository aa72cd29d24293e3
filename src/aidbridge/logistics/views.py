"""The dispatches list: aid on its way and arrived. Dispatching and confirming a receipt
are done from the offer's page (``offers/views.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from aidbridge.accounts.permissions import profile_of
from aidbridge.crises.models import Crisis
from aidbridge.interop.exporters import deliveries_table, write_columns
from aidbridge.logistics.models import Dispatch
from aidbridge.web import finding, lists


@login_required
def dispatch_list(request: HttpRequest) -> HttpResponse:
    """Aid on its way and arrived: what left, how, when it is expected, what arrived."""
    profile_of(request.user)
    chosen = finding.DISPATCHES.chosen(request.GET)
    rows = finding.dispatches(request.user, chosen)

    def export(fmt: str, crisis: Crisis | None) -> tuple[bytes, str]:
        cols, moves = deliveries_table(request.user, crisis, rows)
        return write_columns(fmt, cols, moves, "deliveries"), "dispatches"

    def filters() -> list[dict[str, Any]]:
        nations = lists.nations()
        states = [("in_transit", _("In transit")), ("received", _("Received"))]
        return [
            lists.select("donor", _("Donor"), chosen["donor"], nations),
            lists.select("requester", _("Requesting nation"), chosen["requester"], nations),
            lists.select("state", _("Status"), chosen["state"], states),
            lists.select("mode", _("Transport"), chosen["mode"], Dispatch.Mode.choices),
        ]

    return lists.show(
        request,
        chosen=chosen,
        rows=rows,
        nav="dispatches",
        template="logistics/dispatches.html",
        export=export,
        filters=filters,
        search_hint=_("Tracking reference, carrier, offer, request or item"),
        sorts={
            "-dispatched": _("Newest first"),
            "dispatched": _("Oldest first"),
            "expected": _("Estimated arrival"),
            "donor": _("Donor"),
            "requester": _("Requesting nation"),
        },
    )
