"""The dashboard's map of accepted aid and its coverage chart, served stale while they
are recomputed in the background (stale-while-revalidate), per crisis and language.

Why: they are the costly part of the dashboard and their cost grows with the crisis
(at 10,000 requests about a second of CPU: every circulated line's history, the
acceptances from the audit trail, a day-by-day sweep; bench/results). They are kept
under the crisis figures' fingerprint (``web.dashboard``), which moves with every
acceptance, dispatch and receipt, so without this the first reader after every change
paid that second. The chart is a trend over days and the map a sum over weeks: a copy
some seconds old tells the reader the same thing, and says so. The numbers readers act
on (the key figures, "needs your action", the latest changes) are not here: they stay
exact and current on every request.

So, for the fingerprint the request reads:

1. the picture kept for it is served (as before);
2. otherwise, when a picture of the crisis was computed before (the "latest" entry,
   kept beside the fingerprint's one), that one is served with a note giving the time
   it was computed, and ONE background task (``refresh_picture``, django-tasks) is
   queued to compute the then-current picture and keep it under both keys. The
   "already queued" mark is a ``cache.add``, so readers missing at once queue one
   task; the task releases it when it ends;
3. otherwise (never computed, or evicted) it is computed inline (as before).

The backstop: when the refresh has been pending for more than ``STALE_MAX_S`` (the
worker is busy with a planning run, is not running, or lost the task), the next reader
computes it inline. A task run in another process can only help when that process
shares the cache (``AIDBRIDGE_CACHE_URL``); with each process's own memory cache and a
separate worker (``aidbridge serve``, ``deploy`` without Redis) no task is queued and
the backstop alone brings the picture up to date, within ``STALE_MAX_S`` of the first
reader who saw it stale: at most one inline computation a minute per crisis and
language, instead of one per change. A backend that runs tasks at once in this process
(the tests' ``ImmediateBackend``) gives the current picture on the same request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django_tasks import task

from aidbridge.core import cached, taskqueue
from aidbridge.crises.models import Crisis
from aidbridge.ledger.readings import fingerprint
from aidbridge.web import selectors

# How long the picture may stay behind the figures before a reader computes it inline.
# A minute, like the backstop of the reader's own fragments (``dashboard.TTL_S``).
STALE_MAX_S = 60
# How long the latest picture is kept when no reader asks for the crisis: long enough
# that a crisis read every few hours never pays the inline computation again.
LATEST_KEEP_S = 24 * 3600
# The "already queued" mark's own life, only so a forgotten one does not linger; the
# backstop reads its age, not its presence.
QUEUED_KEEP_S = 10 * STALE_MAX_S


@dataclass(frozen=True)
class Picture:
    """The map and chart's HTML (a template's output), and when it was computed if it
    is behind the figures the request read (None when current)."""

    html: str
    stale_since: datetime | None


def picture_of(crisis: Crisis, figures_version: str, audience: str) -> Picture:
    """The map and chart of ``crisis`` for the figures ``figures_version`` in the active
    language and time zone, or the latest one computed while it is being updated."""
    current = _key(crisis.pk, audience, figures_version)
    found = cache.get(current)
    if found is not None:
        return Picture(found, None)
    latest = cache.get(_latest_key(crisis.pk, audience))
    if latest is None:
        return Picture(_keep(crisis, figures_version, audience), None)
    computed_at, html = latest
    if _refresh_is_late(crisis.pk, audience):
        return Picture(_keep(crisis, figures_version, audience), None)
    found = cache.get(current)  # a backend that runs the task at once has kept it
    if found is not None:
        return Picture(found, None)
    return Picture(html, datetime.fromtimestamp(computed_at, tz=UTC))


@task()
def refresh_picture(crisis_id: int, language: str, tz: str, audience: str) -> None:
    """Compute the crisis's picture for its figures now, in the reader's language and
    time zone, and keep it under both keys; then let the next change queue again."""
    with translation.override(language), timezone.override(tz):
        try:
            crisis = Crisis.objects.get(pk=crisis_id)
            _keep(crisis, fingerprint(crisis), audience)
        finally:
            cache.delete(_queued_key(crisis_id, audience))


def _refresh_is_late(crisis_id: int, audience: str) -> bool:
    """Queue the refresh unless it is queued already; True when it has been pending for
    more than ``STALE_MAX_S`` (the caller then computes it inline)."""
    now = time.time()
    queued = _queued_key(crisis_id, audience)
    if cache.add(queued, now, QUEUED_KEEP_S):
        if _background_reaches_this_cache():
            refresh_picture.enqueue(
                crisis_id,
                translation.get_language() or settings.LANGUAGE_CODE,
                timezone.get_current_timezone_name(),
                audience,
            )
        return False
    since = cache.get(queued)
    # Gone since the add: the task has just ended (its picture is read next).
    return since is not None and now - float(since) > STALE_MAX_S


def _background_reaches_this_cache() -> bool:
    """Can a task fill the cache this process reads? Not when the cache is this
    process's memory and the tasks run in a worker process (``core.taskqueue``)."""
    local = settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache")
    return not (local and taskqueue.needs_worker())


def _keep(crisis: Crisis, figures_version: str, audience: str) -> str:
    """Compute the picture for ``figures_version`` and keep it under its key and as the
    crisis's latest; the refresh is no longer pending."""
    computed_at = time.time()
    html = _render(crisis)
    cache.set(_key(crisis.pk, audience, figures_version), html, selectors.HISTORY_TTL_S)
    cache.set(_latest_key(crisis.pk, audience), (computed_at, html), LATEST_KEEP_S)
    cache.delete(_queued_key(crisis.pk, audience))
    return html


def _render(crisis: Crisis) -> str:
    lang = translation.get_language() or settings.LANGUAGE_CODE
    timeline, chart = selectors.coverage_chart(crisis, lang)
    context = {
        # SVG made here from numbers and nation codes only (no user text): safe to inline.
        "flow_map": mark_safe(selectors.flow_map(crisis, lang)),
        # Likewise numbers and dates only.
        "coverage_chart": mark_safe(chart),
        "coverage_timeline": timeline,
    }
    return render_to_string("web/_dashboard_picture.html", context)


def _key(crisis_id: int, audience: str, figures_version: str) -> str:
    return cached.key("web:dashboard:picture", str(crisis_id), audience, figures_version)


def _latest_key(crisis_id: int, audience: str) -> str:
    return cached.key("web:dashboard:picture:latest", str(crisis_id), audience)


def _queued_key(crisis_id: int, audience: str) -> str:
    return cached.key("web:dashboard:picture:queued", str(crisis_id), audience)
