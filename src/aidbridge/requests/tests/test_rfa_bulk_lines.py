"""Writing a request's lines in bulk: a constant number of queries, the same history."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import ValidationFailed
from aidbridge.requests.models import RequestLine
from aidbridge.requests.services import create_rfa, update_rfa


def _lines(n: int) -> list[dict[str, Any]]:
    codes = ["VENT-ICU", "MASK-SURG", "RESP-FFP2", "SUIT-PROT"]
    return [
        {
            "item": codes[i % 4],
            "quantity": i + 1,
            "priority": i % 3 + 1,
            "needed_by": "2020-04-15",
            "delivery_airport": "LIRF" if i % 2 else "",
            "delivery_place": "" if i % 2 else f"Field hospital {i}",
            "delivery_lat": None if i % 2 else 45.7,
            "delivery_lon": None if i % 2 else 9.7,
        }
        for i in range(n)
    ]


def _queries_to_create(crisis: Any, n: int) -> int:
    # A fresh user object each time: its profile is read once per action, as in a request.
    poc = get_user_model().objects.get(username="ita-poc")
    with CaptureQueriesContext(connection) as captured:
        rfa = create_rfa(poc, crisis=crisis, title=f"{n} lines", lines=_lines(n))
    assert rfa.lines.count() == n
    return len(captured.captured_queries)


def test_creating_a_request_costs_the_same_queries_for_3_or_60_lines(users, items, crisis) -> None:
    # 60 lines fit in one INSERT even under SQLite's 999-parameter limit; 200 lines are
    # split by Django into a few batches, still far from one query per line.
    _queries_to_create(crisis, 1)  # warm the content-type cache, whatever ran before
    assert _queries_to_create(crisis, 60) == _queries_to_create(crisis, 3)


def test_adding_lines_to_a_draft_costs_the_same_queries_for_3_or_60_lines(
    users, items, crisis
) -> None:
    counts = []
    for n in (3, 60):
        rfa = create_rfa(users["ita"], crisis=crisis, title=f"{n} more", lines=_lines(2))
        poc = get_user_model().objects.get(username="ita-poc")
        with CaptureQueriesContext(connection) as captured:
            update_rfa(poc, rfa, lines=_lines(2) + _lines(n))
        counts.append(len(captured.captured_queries))
        assert rfa.lines.count() == n + 2
    assert counts[0] == counts[1]


def test_each_added_line_has_its_own_entry_in_position_order(users, items, crisis) -> None:
    rfa = create_rfa(users["ita"], crisis=crisis, title="Bergamo", lines=_lines(120))
    entries = list(AuditEntry.objects.filter(action="rfa_line.add"))
    lines = list(RequestLine.objects.filter(rfa=rfa).order_by("position"))
    assert [e.target_id for e in entries] == [line.pk for line in lines]
    line_type = ContentType.objects.get_for_model(RequestLine)
    for entry, line in zip(entries, lines, strict=True):
        assert entry.target_type == line_type
        assert entry.target_repr == f"RFA draft #{rfa.pk}/{line.position}"
        assert entry.actor == users["ita"]
        assert entry.actor_party is not None and entry.actor_party.code == "ITA"
        assert entry.crisis == crisis
        assert (entry.from_state, entry.to_state, entry.reason) == ("", "", "")
    # The airport fills in the place and coordinates; the entry records what was stored.
    second = entries[1].changes
    assert second["item"] == [None, "MASK-SURG"]
    assert second["quantity"] == [None, 2]
    assert second["delivery_airport"] == [None, "LIRF"]
    assert second["delivery_lat"] == [None, lines[1].delivery_lat]
    assert second["needed_by"] == [None, "2020-04-15"]
    assert entries[0].changes["delivery_place"] == [None, "Field hospital 0"]


def test_a_bad_line_late_in_a_long_request_writes_nothing(users, items, crisis) -> None:
    lines = _lines(150)
    lines[139]["quantity"] = 0
    with pytest.raises(ValidationFailed) as refused:
        create_rfa(users["ita"], crisis=crisis, title="Bergamo", lines=lines)
    assert refused.value.field == "lines.139.quantity"
    assert not RequestLine.objects.exists()
    assert not AuditEntry.objects.exists()
