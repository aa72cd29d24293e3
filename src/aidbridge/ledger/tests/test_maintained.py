"""The maintained figures stay the ledger's definitions, and the check says when not.

The random stories (``core/tests/test_story_model.py``) compare them with a recomputation
after every step; here a fixed story, the recompute command, and (PostgreSQL, real
threads, ``test_maintained_concurrency``) concurrent acceptances and dispatches.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aidbridge.ledger.crisis import nation_item_figures
from aidbridge.ledger.models import CellFigures, LineFigures
from aidbridge.ledger.readings import cell_figures
from aidbridge.ledger.recompute import recompute
from aidbridge.offers.tests.factories import circulated_rfa
from aidbridge.requests import services as requests

from .scenarios import accept, decline, dispatch, offer, receive


def _story(crisis: Any, parties: Any, users: Any, items: Any) -> Any:
    rfa = circulated_rfa(
        crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 150), (items["MASK-SURG"], 900)]
    )
    vents = offer(users["deu"], rfa, 1, 100)
    masks = offer(users["esp"], rfa, 2, 1000)
    accept(users["ita"], vents, 60)
    decline(users["ita"], vents, 40)
    accept(users["ita"], masks, 1000, reason="Spare for the next wave")
    sent = dispatch(users["deu"], vents, 50)
    receive(users["ita"], sent, 45)
    dispatch(users["esp"], masks, 300)
    return rfa


def test_a_story_keeps_the_cells_equal_to_the_definitions(crisis, parties, users, items) -> None:
    rfa = _story(crisis, parties, users, items)
    assert recompute(crisis) == []
    assert cell_figures(crisis) == nation_item_figures(crisis)
    vents = cell_figures(crisis)[(parties["ITA"].pk, items["VENT-ICU"].pk)]
    assert (vents.accepted, vents.in_transit, vents.delivered, vents.outstanding) == (60, 0, 45, 90)
    requests.close_rfa(users["duty"], rfa, "fulfilled")
    closed = cell_figures(crisis)[(parties["ITA"].pk, items["VENT-ICU"].pk)]
    assert (closed.open_lines, closed.outstanding) == (0, 0)
    assert recompute(crisis) == []


def test_the_command_reports_and_fixes_a_difference(crisis, parties, users, items) -> None:
    _story(crisis, parties, users, items)
    call_command("ledger", "recompute", stdout=StringIO())  # nothing to report
    CellFigures.objects.filter(crisis=crisis, item=items["VENT-ICU"]).update(accepted=7)
    LineFigures.objects.filter(crisis=crisis, item=items["MASK-SURG"]).delete()
    out = StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("ledger", "recompute", stdout=out)
    assert "accepted: maintained 7, defined 60" in out.getvalue()
    assert "requested: maintained 0, defined 900" in out.getvalue()
    call_command("ledger", "recompute", "--fix", stdout=StringIO())
    assert recompute(crisis) == []
