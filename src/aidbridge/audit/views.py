"""The audit trail page: the entries the user may see, as sentences, searchable and
taken away as a file (the same writer as every list's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.models import AuditEntry
from aidbridge.audit.sentences import sentences
from aidbridge.crises.models import Crisis
from aidbridge.interop.exporters import Col, write_columns
from aidbridge.web import finding, lists


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

    def export(fmt: str, crisis: Crisis | None) -> tuple[bytes, str]:
        table = [_audit_row(pair) for pair in sentences(rows[:EXPORT_LIMIT])]
        return write_columns(fmt, _audit_columns(), table, "audit"), "audit-trail"

    def filters() -> list[dict[str, Any]]:
        kinds = [(k, AUDIT_KIND_LABELS[k]) for k in finding.AUDIT_KINDS]
        return [
            lists.select("kind", _("Kind"), chosen["kind"], kinds),
            lists.select("party", _("Party"), chosen["party"], lists.nations()),
        ]

    return lists.show(
        request,
        chosen=chosen,
        rows=rows,
        nav="audit",
        template="audit/audit.html",
        export=export,
        filters=filters,
        search_hint=_("Object, reason or user name"),
        sorts={"-at": _("Newest first"), "at": _("Oldest first"), "action": _("Action")},
    )
