"""The dashboard's body, kept (``core.cached``) under the versions of everything it
shows and the readers it is the same for; the page around it (``web/base.html``: the
user's name, unread count, CSRF tokens, messages) is rendered live on every request.

What the body shows, and what changes it:

- key figures (open requests, coverage, offers), the patients transferred, the map of
  accepted aid and the coverage chart: the maintained figures (``ledger.readings
  .fingerprint``) and the requests and offers the reader may see;
- "needs your action" (``web.worklists``) and the crisis's actions (``web.affordances``):
  the objects' states and the crisis's status;
- latest changes: the audit trail itself;
- the crisis's name.

Every one of those changes only with a business change, and every business change
writes an audit entry in its transaction (``audit.services``), so the body is kept
under the trail's version (``audit.versions.trail_version``, which also sees commits
landing out of id order) and the figures' fingerprint. Two inputs no version sees: the
clock ("deliveries this week" counts receipts of the last seven days) and an edit
outside the business services (a party's or an item's name in the admin): both show
within ``TTL_S``.

Who sees what is decided by the reader's party and role only (each app's selectors and
allowed-actions rules ask nothing else of the user), so the body is shared by the
readers of one party and role (``audience``) in one language and time zone: the 32
people of one nation share one rendering, and no reader ever gets another party's or
role's worklists.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.versions import trail_version
from aidbridge.core import cached
from aidbridge.crises.models import Crisis
from aidbridge.ledger.readings import fingerprint
from aidbridge.web import selectors
from aidbridge.web.affordances import crisis_actions
from aidbridge.web.worklists import worklists

# The backstop for what no version sees (above): the clock and admin edits.
TTL_S = 60


def audience(actor: Any) -> str:
    """The readers who get the same dashboard body as ``actor``: those of the same party
    and role. A rule of who sees what that came to ask more of the user (their own
    records, a permission of their own) must be added here, or the body would leak."""
    profile = profile_of(actor)
    return f"party={profile.party_id};role={profile.role}"


def dashboard_version(crisis: Crisis) -> str:
    """Changes whenever anything the body shows does (module docstring)."""
    return f"{trail_version()};{fingerprint(crisis)}"


def dashboard_body(actor: Any, crisis: Crisis) -> SafeString:
    """The dashboard's content for ``actor``, from the cache when a reader of the same
    audience saw the same versions in the same language."""
    key = cached.key("web:dashboard", str(crisis.pk), audience(actor), dashboard_version(crisis))
    # Kept as a plain str (a SafeString pickles as one); it is the template's output.
    body = cached.kept(key, lambda: str(_render(actor, crisis)), TTL_S)
    return mark_safe(body)


def _render(actor: Any, crisis: Crisis) -> str:
    # Rendered without the request: nothing of the reader but their audience (party,
    # role) can reach the kept bytes (no user, no CSRF token, no messages).
    lang = get_language() or "en"
    timeline, chart = selectors.coverage_chart(crisis, lang)
    context = {
        "crisis": crisis,
        "crisis_actions": crisis_actions(actor, crisis),
        "work": worklists(actor, crisis),
        "figures": selectors.key_figures(actor, crisis),
        "changes": selectors.latest_changes(actor, crisis),
        # SVG made here from numbers and nation codes only (no user text): safe to inline.
        "flow_map": mark_safe(selectors.flow_map(crisis, lang)),
        # Likewise numbers and dates only.
        "coverage_chart": mark_safe(chart),
        "coverage_timeline": timeline,
    }
    return render_to_string("web/_dashboard_body.html", context)
