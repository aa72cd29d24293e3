"""The dashboard's content, kept (``core.cached``) in fragments, each under the versions
of what it shows and the readers it is the same for; the page around them
(``web/base.html``: the user's name, unread count, CSRF tokens, messages) is rendered
live on every request.

What the content shows, and what changes it:

- the key figures (open requests, coverage, deliveries this week, offers, patients
  transferred): the maintained figures (``ledger.readings.fingerprint``) and the
  requests, offers and receipts the reader may see;
- "needs your action" (``web.worklists``) and the crisis's actions (``web.affordances``):
  the objects' states and the crisis's status;
- the latest changes: the audit trail itself;
- the crisis's name;
- the map of accepted aid and the coverage chart: the picture's figures only, the same
  for every role (``web.selectors``); the only part that may lag behind the figures,
  saying so, while it is recomputed in the background (``web.picture``).

Every one of those changes only with a business change, and every business change
writes an audit entry in its transaction (``audit.services``). So the reader's own
fragments (figures; work and changes) are kept under the trail's version
(``audit.versions.trail_version``, which also sees commits landing out of id order) and
the figures' fingerprint, per party and role (``audience``); the map and the chart, the
bulk of the page, once per crisis figures for every role (``reports.selectors
.picture_audience``). Two inputs no version sees: the clock ("deliveries this week"
counts receipts of the last seven days) and an edit outside the business services (a
party's or an item's name in the admin): both show within ``TTL_S``.

Who sees what is decided by the reader's party and role only (each app's selectors and
allowed-actions rules ask nothing else of the user), so the 32 people of one nation share
one rendering, and no reader ever gets another party's or role's worklists. The language
and the time zone are part of every key (``core.cached``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.versions import trail_version
from aidbridge.core import cached
from aidbridge.crises.models import Crisis
from aidbridge.ledger.readings import fingerprint
from aidbridge.reports.selectors import picture_audience
from aidbridge.web import selectors
from aidbridge.web.affordances import crisis_actions
from aidbridge.web.picture import picture_of
from aidbridge.web.worklists import worklists

# The backstop for what no version sees (above): the clock and admin edits.
TTL_S = 60


def audience(actor: Any) -> str:
    """The readers who get the same figures, work and changes as ``actor``: those of the
    same party and role. A rule of who sees what that came to ask more of the user (their
    own records, a permission of their own) must be added here, or the kept fragments
    would leak."""
    profile = profile_of(actor)
    return f"party={profile.party_id};role={profile.role}"


@dataclass(frozen=True)
class Body:
    """The dashboard's content: the reader's figures, the picture's map and chart, the
    reader's work and latest changes (in that order on the page)."""

    figures: SafeString
    picture: SafeString
    work: SafeString
    # When the map and chart were computed, if they are behind the figures (``web.picture``).
    picture_as_of: datetime | None = None


def dashboard_body(actor: Any, crisis: Crisis) -> Body:
    """The dashboard's content for ``actor``, each fragment from the cache when a reader
    of its audience saw the same versions in the same language."""
    figures_version = fingerprint(crisis)
    own = cached.key(
        "web:dashboard:own", str(crisis.pk), audience(actor), trail_version(), figures_version
    )
    figures, work = cached.kept(own, lambda: _own(actor, crisis), TTL_S)
    drawn = picture_of(crisis, figures_version, picture_audience(profile_of(actor)))
    # Kept as plain str (a SafeString pickles as one); each is a template's output.
    return Body(mark_safe(figures), mark_safe(drawn.html), mark_safe(work), drawn.stale_since)


# Rendered without the request: nothing of the reader but their audience (party, role)
# can reach the kept bytes (no user, no CSRF token, no messages).


def _own(actor: Any, crisis: Crisis) -> tuple[str, str]:
    figures = {"crisis": crisis, "figures": selectors.key_figures(actor, crisis)}
    work = {
        "crisis": crisis,
        "crisis_actions": crisis_actions(actor, crisis),
        "work": worklists(actor, crisis),
        "changes": selectors.latest_changes(actor, crisis),
    }
    return (
        render_to_string("web/_dashboard_figures.html", figures),
        render_to_string("web/_dashboard_work.html", work),
    )
