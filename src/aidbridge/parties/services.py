"""Managing parties (nations and organisations). Only the centre does this."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import require_centre
from aidbridge.audit.services import record
from aidbridge.core.changes import apply_changes
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.parties.models import Party

_ALPHA3 = re.compile(r"^[A-Z]{3}$")
_ORG_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,19}$")


def _clean_name(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(
            gettext("%(field)s must not be empty") % {"field": field}, field=field
        )
    if len(value) > 120:
        raise ValidationFailed(
            gettext("%(field)s is longer than 120 characters") % {"field": field}, field=field
        )
    return value


def check_code(code: str, kind: str) -> str:
    if kind not in Party.Kind.values:
        raise ValidationFailed(
            gettext("unknown kind %(kind)s; choose from: %(value)s")
            % {"kind": repr(kind), "value": ", ".join(Party.Kind.values)},
            field="kind",
        )
    code = (code or "").strip().upper()
    if kind == Party.Kind.NATION and not _ALPHA3.match(code):
        raise ValidationFailed(
            gettext("a nation's code is its ISO 3166-1 alpha-3 code (e.g. ITA)"), field="code"
        )
    if kind != Party.Kind.NATION and not _ORG_CODE.match(code):
        raise ValidationFailed(
            gettext("a code is 2-20 capital letters, digits or hyphens, starting with a letter"),
            field="code",
        )
    return code


@transaction.atomic
def create_party(actor: Any, *, code: str, kind: str, name_en: str, name_fr: str) -> Party:
    require_centre(actor, gettext_noop("manage parties"))
    code = check_code(code, kind)
    if Party.objects.filter(code=code).exists():
        raise Conflict(
            gettext("a party with code %(code)s already exists") % {"code": code}, field="code"
        )
    party = Party.objects.create(
        code=code,
        kind=kind,
        name_en=_clean_name(name_en, "name_en"),
        name_fr=_clean_name(name_fr, "name_fr"),
    )
    record(
        actor,
        "party.create",
        party,
        to_state="active",
        changes={"code": [None, code], "kind": [None, kind], "name_en": [None, party.name_en]},
    )
    return party


@transaction.atomic
def update_party(actor: Any, party: Party, **changes: Any) -> Party:
    """Rename a party. Its code and kind are its identity and stay as they are."""
    require_centre(actor, gettext_noop("manage parties"))
    party = Party.objects.select_for_update().get(pk=party.pk)
    cleaned = {name: _clean_name(value, name) for name, value in changes.items()}
    diff = apply_changes(party, cleaned, {"name_en", "name_fr"})
    if diff:
        party.save(update_fields=list(diff))
        record(actor, "party.update", party, changes=diff)
    return party


@transaction.atomic
def deactivate_party(actor: Any, party: Party, reason: str = "") -> Party:
    """A deactivated party keeps its history but can no longer request or offer."""
    require_centre(actor, gettext_noop("manage parties"))
    party = Party.objects.select_for_update().get(pk=party.pk)
    if not party.active:
        raise Conflict(
            gettext("%(code)s is already inactive") % {"code": party.code}, field="active"
        )
    if party.kind == Party.Kind.CENTRE and party.members.filter(user__is_active=True).exists():
        raise Conflict(gettext("the centre cannot be deactivated while it has active staff"))
    party.active = False
    party.save(update_fields=["active"])
    record(
        actor, "party.deactivate", party, from_state="active", to_state="inactive", reason=reason
    )
    return party


@transaction.atomic
def reactivate_party(actor: Any, party: Party, reason: str = "") -> Party:
    require_centre(actor, gettext_noop("manage parties"))
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.active:
        raise Conflict(gettext("%(code)s is already active") % {"code": party.code}, field="active")
    party.active = True
    party.save(update_fields=["active"])
    record(
        actor, "party.reactivate", party, from_state="inactive", to_state="active", reason=reason
    )
    return party
