"""Intake from text: read a pasted message into a proposal, and turn a proposal a
person has checked into a draft request.

Reading writes nothing. Confirming drafts the request through
``requests.services.create_rfa``, so the draft gets every check any draft gets (the
role and nation of the actor, the crisis, the items, quantities, dates and airport).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from aidbridge.accounts.models import Role
from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.services import record
from aidbridge.catalogue.models import Item, Substitute
from aidbridge.core.actions import refuse
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.text import clean_text
from aidbridge.crises.models import Crisis
from aidbridge.intake.actions import read_refusal
from aidbridge.intake.context import catalogue_entries, nation_entries, place_index
from aidbridge.intake.parse import Context, Proposal, parse
from aidbridge.parties.models import Party
from aidbridge.requests import services as requests_services
from aidbridge.requests.models import RequestForAssistance


def context_for(actor: Any, crisis: Crisis) -> Context:
    """The parser's context from the database: active items and their substitutes,
    nations, airports, the crisis's year, and the POC's own nation."""
    items = Item.objects.filter(active=True).values("code", "name_en", "name_fr", "unit")
    subs = Substitute.objects.values_list("need_item__code", "supply_item__code")
    parties = Party.objects.filter(kind=Party.Kind.NATION).values("code", "name_en", "name_fr")
    profile = profile_of(actor)
    own = profile.party.code if profile.role == Role.NATIONAL_POC else None
    return Context(
        catalogue_entries(items, subs),
        nation_entries(parties),
        place_index(),
        crisis.started_on.year,
        own,
    )


def read_message(actor: Any, crisis: Crisis, text: Any) -> Proposal:
    """The proposal for ``text``. Nothing is saved."""
    refuse(read_refusal(actor, crisis))
    message = clean_text(text, "text")
    return parse(message, context_for(actor, crisis))


@transaction.atomic
def confirm(
    actor: Any,
    crisis: Crisis,
    *,
    title: str,
    text: str = "",
    lines: Sequence[Mapping[str, Any]],
) -> RequestForAssistance:
    """Draft the request a person checked. The message is kept as its situation, so
    the draft shows where its lines came from; the audit trail says it came in as text."""
    if not lines:
        raise ValidationFailed(gettext("keep at least one line of the proposal"), field="lines")
    message = clean_text(text, "text")
    rfa = requests_services.create_rfa(
        actor, crisis=crisis, title=title, situation=message, lines=lines
    )
    record(actor, "rfa.intake", rfa, crisis=crisis, changes={"lines": [None, len(lines)]})
    return rfa
