"""Checking that an entity's allowed-action rules and its services agree.

For every action of the rules, taken through the real HTTP API inside a savepoint
that is rolled back after (so each action starts from the same state): an allowed
action succeeds (2xx); a refused one answers the refusal's status (403 for the role,
409 for the state; 404 where the actor may not even see the object) and changes
nothing in the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from html.parser import HTMLParser
from typing import Any

from django.db import transaction

from aidbridge.audit.models import AuditEntry
from aidbridge.core.actions import Rules

Attempt = Callable[[], Any]


def database_state() -> tuple[Any, ...]:
    """Everything an action on offers, movements, sitreps, runs or sorties can change."""
    from aidbridge.airlift.models import AirliftPlanRun, Sortie
    from aidbridge.allocations.models import AllocationRun, ProposedLine
    from aidbridge.logistics.models import Dispatch, Receipt
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.requests.models import RequestForAssistance
    from aidbridge.sitreps.models import Sitrep

    def rows(model: Any, *fields: str) -> list[tuple[Any, ...]]:
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return (
        AuditEntry.objects.count(),
        rows(Offer),
        rows(OfferLine, "status", "accepted", "declined"),
        rows(Dispatch, "quantity"),
        rows(Receipt, "quantity"),
        rows(RequestForAssistance, "status"),
        rows(Sitrep, "status", "general_situation"),
        rows(AllocationRun, "status"),
        rows(ProposedLine, "offer_line_id"),
        rows(AirliftPlanRun, "status", "approved_at"),
        rows(Sortie, "status"),
    )


def calls(client: Any, requests: Mapping[str, tuple[str, str, Any]]) -> dict[str, Attempt]:
    """Each action as an API call ``(method, path, body)`` of ``client``."""
    return {
        action: partial(getattr(client, method), path, body)
        for action, (method, path, body) in requests.items()
    }


def check_rules_against_services(
    rules: Rules, attempts: Mapping[str, Attempt], *, unseen: bool = False
) -> set[str]:
    """Take every action of ``rules`` through ``attempts``; the allowed set, checked.

    ``unseen``: the actor may not see the object, so a refusal may also be a 404.
    """
    assert set(rules) == set(attempts), "every action of the rules is attempted"
    allowed: set[str] = set()
    for action, check in rules.items():
        refusal = check()
        point = transaction.savepoint()
        before = database_state()
        response = attempts[action]()
        after = database_state()
        transaction.savepoint_rollback(point)
        body = response.content[:300]
        if refusal is None:
            allowed.add(action)
            assert 200 <= response.status_code < 300, (action, response.status_code, body)
            assert after != before, (action, "succeeded but changed nothing")
        else:
            expected = {refusal.status, 404} if unseen else {refusal.status}
            assert refusal.status in (403, 409), (action, refusal)
            assert response.status_code in expected, (action, response.status_code, body)
            assert after == before, (action, "refused but changed something")
    return allowed


# The pages' action targets: forms that post to an action, links that open an action's
# form. Anything else on a page (navigation, filters, downloads) is not an action.
ACTION_PATH = re.compile(
    r"^/(offer-lines/\d+/\w+/|dispatches/\d+/receipt/"
    r"|rfas/(new/|\d+/(offer|edit|submit|circulate|return|withdraw|close)/)"
    r"|crises/[^/]+/(standing-offer|allocation|import/\w+|airlift/plan|sitreps/draft)/"
    r"|offers/\d+/(confirm|decline-proposal)/|allocation-runs/\d+/(offers|restart|cancel)/"
    r"|airlift/(plans/\d+/(approve|restart|cancel)|sorties/\d+/\w+)/|sitreps/\d+/(edit|publish)/)$"
)


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            target = values.get("action") or ""
        elif tag == "a":
            target = values.get("href") or ""
        else:
            return
        path = target.split("?")[0].split("#")[0]
        if ACTION_PATH.match(path):
            self.found.add(path)


def action_targets(html: str) -> set[str]:
    """Paths of the action forms and action links of a page."""
    parser = _Targets()
    parser.feed(html)
    return parser.found
