"""Opening and closing crises. Only the centre does this."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import require_centre
from aidbridge.audit.services import record
from aidbridge.core.changes import apply_changes
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.crises import signals
from aidbridge.crises.locks import lock_crisis
from aidbridge.crises.models import Crisis

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")
OPEN_RFA_STATES = ("submitted", "returned", "circulated")


def check_code(code: str) -> str:
    code = (code or "").strip().lower()
    if not _SLUG.match(code):
        raise ValidationFailed(
            gettext("a crisis code is 2-60 lower-case letters, digits or hyphens (covid-19-2020)"),
            field="code",
        )
    return code


def _name(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(
            gettext("%(field)s must not be empty") % {"field": field}, field=field
        )
    if len(value) > 200:
        raise ValidationFailed(
            gettext("%(field)s is longer than 200 characters") % {"field": field}, field=field
        )
    return value


@transaction.atomic
def create_crisis(
    actor: Any,
    *,
    code: str,
    name_en: str,
    name_fr: str,
    started_on: date,
    description: str = "",
) -> Crisis:
    require_centre(actor, gettext_noop("open a crisis"))
    code = check_code(code)
    if Crisis.objects.filter(code=code).exists():
        raise Conflict(
            gettext("a crisis with code %(code)s already exists") % {"code": code}, field="code"
        )
    if not isinstance(started_on, date):
        raise ValidationFailed(gettext("started_on must be a date"), field="started_on")
    crisis = Crisis.objects.create(
        code=code,
        name_en=_name(name_en, "name_en"),
        name_fr=_name(name_fr, "name_fr"),
        started_on=started_on,
        description=description or "",
    )
    record(
        actor,
        "crisis.create",
        crisis,
        crisis=crisis,
        to_state=Crisis.Status.ACTIVE,
        changes={"code": [None, code], "started_on": [None, started_on.isoformat()]},
    )
    return crisis


@transaction.atomic
def update_crisis(actor: Any, crisis: Crisis, **changes: Any) -> Crisis:
    require_centre(actor, gettext_noop("edit a crisis"))
    crisis = lock_crisis(crisis.pk)
    cleaned = {
        name: _name(value, name) if name in ("name_en", "name_fr") else value
        for name, value in changes.items()
    }
    if "description" in cleaned:
        cleaned["description"] = cleaned["description"] or ""
    if "started_on" in cleaned and not isinstance(cleaned["started_on"], date):
        raise ValidationFailed(gettext("started_on must be a date"), field="started_on")
    diff = apply_changes(crisis, cleaned, {"name_en", "name_fr", "description", "started_on"})
    if diff:
        crisis.save(update_fields=list(diff))
        record(actor, "crisis.update", crisis, crisis=crisis, changes=diff)
    return crisis


@transaction.atomic
def close_crisis(
    actor: Any, crisis: Crisis, *, closed_on: date | None = None, reason: str = ""
) -> Crisis:
    """Close a crisis once nothing is still asked of anyone in it.

    Requests still submitted, returned or circulated make the close refuse (409) rather
    than being closed along with it: how a request ended (fulfilled, withdrawn, overtaken
    by events) is what the requester, the donors and the final sitrep report, and only
    the centre, request by request, can say which. A blanket "overtaken" would tell a
    nation whose request was in fact met that it was not. Closing each request settles
    its offers (``requests.services.close_rfa``), so what is left to settle here is the
    standing stock: its open lines, and any offer line still pending in the crisis, are
    settled in this transaction (``crises.signals.closed``, received by ``offers.settle``),
    their donors told.

    The crisis is locked first (``core.locks``): drafting, submitting or offering
    standing stock in it takes the same lock, so none can slip in behind the close. A
    draft left in the crisis stays its nation's own; it can no longer be submitted.
    """
    require_centre(actor, gettext_noop("close a crisis"))
    crisis = lock_crisis(crisis.pk)
    if crisis.status == Crisis.Status.CLOSED:
        raise Conflict(
            gettext("crisis %(code)s is already closed") % {"code": crisis.code}, field="status"
        )
    still_open = crisis.rfas.filter(status__in=OPEN_RFA_STATES).count()
    if still_open:
        raise Conflict(
            gettext(
                "%(still_open)s request(s) for assistance in this crisis are still "
                "open; close or withdraw them first"
            )
            % {"still_open": still_open},
            field="status",
        )
    closed_on = closed_on or timezone.localdate()
    if closed_on < crisis.started_on:
        raise ValidationFailed(gettext("closed_on is before the crisis started"), field="closed_on")
    crisis.status = Crisis.Status.CLOSED
    crisis.closed_on = closed_on
    crisis.save(update_fields=["status", "closed_on"])
    record(
        actor,
        "crisis.close",
        crisis,
        crisis=crisis,
        from_state=Crisis.Status.ACTIVE,
        to_state=Crisis.Status.CLOSED,
        changes={"closed_on": [None, closed_on.isoformat()]},
        reason=reason,
    )
    # The offers app settles the standing stock and what is pending, in this transaction.
    signals.closed.send(
        sender=Crisis,
        actor=actor,
        crisis=crisis,
        reason=f"crisis {crisis.code} closed" + (f": {reason.strip()}" if reason.strip() else ""),
    )
    return crisis
