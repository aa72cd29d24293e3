"""Two dispatches of one offer line at once never move more than was accepted.

PostgreSQL, real threads: one report holds its transaction open while the other starts,
then both are released at the same instant a few times.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.tests.threads import first_holds, in_threads, postgres_only
from aidbridge.logistics.models import Dispatch
from aidbridge.logistics.services import dispatch_offer_line
from aidbridge.offers import services
from aidbridge.offers.models import OfferLine
from aidbridge.offers.tests.factories import circulated_rfa

pytestmark = postgres_only


def _accepted(crisis, parties, users, items) -> OfferLine:
    """Germany's 100 ventilators, all accepted by Italy."""
    rfa = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 100)])
    line = services.make_offer(
        users["deu"], rfa=rfa, lines=[{"request_line": rfa.lines.get(), "quantity": 100}]
    ).lines.get()
    return services.accept_offer_line(users["ita"], line)


def _dispatch(users: dict[str, Any], line: OfferLine, who: str) -> Any:
    return lambda: dispatch_offer_line(users[who], line, quantity=60, mode=Dispatch.Mode.ROAD)


def _never_more_than_accepted(line: OfferLine, outcomes: list[Any]) -> None:
    sent = [o for o in outcomes if isinstance(o, Dispatch)]
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert (len(sent), len(refused)) == (1, 1), outcomes
    assert "only 40" in refused[0].message
    total = Dispatch.objects.filter(offer_line=line).aggregate(t=Sum("quantity"))["t"]
    assert total == 60
    # The audit's running total agrees: one dispatch, from 0 to 60.
    entries = AuditEntry.objects.filter(
        action="dispatch.create", target_id__in=[d.pk for d in sent]
    )
    assert [e.changes["offer_line_dispatched"] for e in entries] == [[0, 60]]


def test_dispatch_against_dispatch(crisis, parties, users, items) -> None:
    # The donor and the centre (for it) report the same consignment at once.
    line = _accepted(crisis, parties, users, items)
    _never_more_than_accepted(
        line, list(first_holds(_dispatch(users, line, "deu"), _dispatch(users, line, "duty")))
    )
    for _ in range(3):
        line = _accepted(crisis, parties, users, items)
        outcomes = in_threads(_dispatch(users, line, "deu"), _dispatch(users, line, "duty"))
        _never_more_than_accepted(line, outcomes)
