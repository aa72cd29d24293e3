"""Two POCs accepting offers for the same need at the same moment, in real transactions.

Each thread has its own database connection (Django's connections are per thread), so
these are genuinely concurrent PostgreSQL transactions. SQLite serialises every writer
anyway, so the tests only run on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum

from aidbridge.accounts.models import Role
from aidbridge.conftest import ApiClient
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.tests.threads import in_threads, postgres_only
from aidbridge.offers import services
from aidbridge.offers.models import OfferLine
from aidbridge.offers.tests.factories import circulated_rfa

pytestmark = postgres_only


@pytest.fixture
def second_ita_poc(make_user) -> Any:
    return make_user("ita-poc-2", "ITA", Role.NATIONAL_POC)


def test_two_pocs_accepting_at_once_never_push_accepted_above_requested(
    crisis, parties, users, items, second_ita_poc
) -> None:
    clients = [ApiClient(users["ita"]), ApiClient(second_ita_poc)]
    for _ in range(5):
        rfa = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 100)])
        need = rfa.lines.get()
        lines = [
            services.make_offer(
                users[who], rfa=rfa, lines=[{"request_line": need, "quantity": 80}]
            ).lines.get()
            for who in ("deu", "tur")
        ]

        def accept(client: ApiClient, line: OfferLine) -> Callable[[], Any]:
            return lambda: client.post(f"/offer-lines/{line.pk}/accept", {})

        responses = in_threads(*(accept(c, ln) for c, ln in zip(clients, lines, strict=True)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 422], [r.json() for r in responses]
        refused = next(r for r in responses if r.status_code == 422).json()
        assert refused["code"] == "over_acceptance"
        total = OfferLine.objects.filter(request_line=need).aggregate(t=Sum("accepted"))["t"]
        assert total == 80


def test_an_acceptance_waits_for_the_one_holding_the_need_and_then_sees_it(
    crisis, parties, users, items, second_ita_poc
) -> None:
    """A first acceptance holds its transaction open; the second must wait for it."""
    rfa = circulated_rfa(crisis, parties["ITA"], users["ita"], [(items["VENT-ICU"], 100)])
    need = rfa.lines.get()
    first, second = (
        services.make_offer(
            users[who], rfa=rfa, lines=[{"request_line": need, "quantity": 60}]
        ).lines.get()
        for who in ("deu", "tur")
    )
    holding, release = threading.Event(), threading.Event()
    second_done = threading.Event()

    def hold_first() -> OfferLine:
        with transaction.atomic():
            line = services.accept_offer_line(users["ita"], first)
            holding.set()
            assert release.wait(timeout=10)
        return line

    def then_second() -> Any:
        assert holding.wait(timeout=10)
        try:
            return services.accept_offer_line(second_ita_poc, second)
        finally:
            second_done.set()

    def referee() -> bool:
        assert holding.wait(timeout=10)
        # While the first transaction is open, the second is blocked on the row lock.
        blocked = not second_done.wait(timeout=1.0)
        release.set()
        return blocked

    held, refused, blocked = in_threads(hold_first, then_second, referee)
    assert isinstance(held, OfferLine) and held.accepted == 60
    assert blocked is True
    assert isinstance(refused, ValidationFailed) and refused.field == "quantity"
    assert "outstanding need of 40" in refused.message
    assert OfferLine.objects.get(pk=second.pk).accepted == 0
