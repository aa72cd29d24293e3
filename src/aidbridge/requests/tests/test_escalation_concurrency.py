"""Real concurrent transactions on PostgreSQL: escalations meeting each other, the
circulation of the same request and the closing of the request they escalate."""

from __future__ import annotations

from typing import Any

from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import Conflict
from aidbridge.core.tests.threads import first_holds, in_threads, postgres_only
from aidbridge.requests import services as rfa_services
from aidbridge.requests.escalation import circulate_as_escalation
from aidbridge.requests.models import RequestForAssistance, RequestLine

from .test_links import _request

pytestmark = postgres_only
RFA = RequestForAssistance


def _first(users: dict[str, Any], crisis: Any) -> RFA:
    return _request(users["ita"], crisis, ("VENT-ICU", 150, None), circulate=users["duty"])


def _replays(line: RequestLine) -> list[int]:
    """The line's quantity entries, each starting where the one before ended (a change
    written on a stale read would not); the quantities they went through."""
    seen = [150]
    for entry in AuditEntry.objects.filter(
        target_type__model="requestline", target_id=line.pk, action="rfa_line.update"
    ).order_by("pk"):
        if "quantity" in entry.changes:
            assert entry.changes["quantity"][0] == seen[-1], entry.changes
            seen.append(entry.changes["quantity"][1])
    line.refresh_from_db()
    assert line.quantity == seen[-1]
    return seen


def test_two_escalations_of_one_request_at_once_both_count(users, items, crisis) -> None:
    first = _first(users, crisis)
    more = _request(users["ita"], crisis, ("VENT-ICU", 400, None))
    less = _request(users["ita"], crisis, ("VENT-ICU", 350, None))
    held, followed = first_holds(
        lambda: circulate_as_escalation(users["duty"], more, first),
        lambda: circulate_as_escalation(users["head"], less, first),
    )
    assert held == followed == first, (held, followed)
    # The second waited for the first and raised from 400, not from the 150 it read.
    assert _replays(first.lines.get()) == [150, 400]
    assert set(RFA.objects.filter(merged_into=first).values_list("pk", flat=True)) == {
        more.pk,
        less.pk,
    }


def test_the_request_escalated_and_circulated_at_once_is_done_once(users, items, crisis):
    first = _first(users, crisis)
    again = _request(users["ita"], crisis, ("VENT-ICU", 300, None))
    outcomes = in_threads(
        lambda: circulate_as_escalation(users["duty"], again, first),
        lambda: rfa_services.circulate_request(users["head"], again),
    )
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(refused) == 1, outcomes
    again.refresh_from_db()
    merged = again.closure == RFA.Closure.MERGED
    assert again.status == ("closed" if merged else "circulated")
    assert first.lines.get().quantity == (300 if merged else 150)


def test_the_closing_first_stops_the_escalation(users, items, crisis) -> None:
    first = _first(users, crisis)
    again = _request(users["ita"], crisis, ("VENT-ICU", 300, None))
    closed, escalated = first_holds(
        lambda: rfa_services.close_rfa(users["head"], first, "overtaken"),
        lambda: circulate_as_escalation(users["duty"], again, first),
    )
    assert isinstance(closed, RFA) and isinstance(escalated, Conflict), (closed, escalated)
    assert RFA.objects.get(pk=again.pk).status == "submitted"
    assert first.lines.get().quantity == 150


def test_the_escalation_first_then_the_closing(users, items, crisis) -> None:
    first = _first(users, crisis)
    again = _request(users["ita"], crisis, ("VENT-ICU", 300, None))
    escalated, closed = first_holds(
        lambda: circulate_as_escalation(users["duty"], again, first),
        lambda: rfa_services.close_rfa(users["head"], first, "overtaken"),
    )
    assert escalated == first and isinstance(closed, RFA), (escalated, closed)
    close = AuditEntry.objects.get(action="rfa.close", target_id=first.pk)
    merge = AuditEntry.objects.get(action="rfa.escalated", target_id=first.pk)
    assert merge.pk < close.pk
    assert first.lines.get().quantity == 300
