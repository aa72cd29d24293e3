"""A proposal as the API and the page show it: item names in the reader's language,
and each "not understood" entry as a sentence (translated)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils.translation import gettext as _

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.intake.parse import Proposal, Unclear
from aidbridge.requests.actions import create_refusal


def unclear_message(entry: Unclear) -> str:
    messages = {
        "quantity_without_item": _("A number with no catalogue item: “%(words)s”."),
        "item_without_quantity": _("An item (%(detail)s) with no quantity: “%(words)s”."),
        "other_date": _("A date not read as a needed-by date: “%(words)s” (%(detail)s)."),
        "relative_date": _("A delay, not a date: “%(words)s”. Give the date."),
        "other_nation": _(
            "The message names %(detail)s (“%(words)s”); a draft is made for your own nation."
        ),
    }
    text = messages.get(entry.kind, _("Not understood: “%(words)s”."))
    return text % {"words": entry.words, "detail": entry.detail}


def proposal_out(actor: Any, crisis: Crisis, proposal: Proposal) -> dict[str, Any]:
    codes = {line.item for line in proposal.lines}
    names = {item.code: item.name for item in Item.objects.filter(code__in=codes)}
    return {
        "language": proposal.language,
        "title": proposal.title,
        "priority": proposal.priority,
        "nation": asdict(proposal.nation) if proposal.nation else None,
        "delivery_airport": asdict(proposal.place) if proposal.place else None,
        "lines": [
            asdict(line) | {"item_name": names.get(line.item, line.item)} for line in proposal.lines
        ],
        "not_understood": [
            {"kind": u.kind, "words": u.words, "detail": u.detail, "message": unclear_message(u)}
            for u in proposal.unclear
        ],
        "draft_allowed": create_refusal(actor, crisis) is None,
    }
