"""The kept dashboard sees a change that commits after a later one (``audit.versions``):
on PostgreSQL an audit entry's id is taken at insert, so a transaction holding an older
id can commit after a newer one was read. Two real connections (threads) and the
dashboard through Django's full stack; a version made of the newest id alone would keep
serving the page read in between."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from aidbridge.audit.models import AuditEntry
from aidbridge.requests import services as rfa_services
from aidbridge.sitreps import services as sitreps


def _draft(user: Any, crisis: Any, title: str) -> Any:
    return rfa_services.create_rfa(
        user,
        crisis=crisis,
        title=title,
        lines=[{"item": "SUIT-PROT", "quantity": 10, "delivery_airport": "LEMD"}],
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_a_change_committed_after_a_newer_one_shows_in_the_next_render(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    early = _draft(users["esp"], crisis, "Suits for Madrid, submitted first")
    head = Client()
    head.force_login(users["head"])

    def page() -> str:
        response = head.get(f"/crises/{crisis.code}/")
        assert response.status_code == 200
        return str(response.text)

    first = page()
    assert "Requests to validate" not in first and "Sitreps to publish" not in first
    inserted, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    held: list[int] = []

    def submit_and_hold() -> None:
        # Spain's submission takes its audit id, then waits uncommitted.
        try:
            with transaction.atomic():
                rfa_services.submit_rfa(users["esp"], early)
                held.append(AuditEntry.objects.order_by("-pk").values_list("pk", flat=True)[0])
                inserted.set()
                assert release.wait(20)
        except BaseException as error:  # reported by the test below
            failures.append(error)
            inserted.set()
        finally:
            connection.close()

    holder = threading.Thread(target=submit_and_hold)
    holder.start()
    try:
        assert inserted.wait(20) and held, failures
        # A sitrep drafted by the centre commits (this thread's connection), higher id.
        sitreps.draft_sitrep(users["duty"], crisis)
        newest = AuditEntry.objects.order_by("-pk").first()
        assert newest is not None and newest.pk > held[0]
        between = page()  # read, and kept, while Spain's submission is not committed
        assert "Sitreps to publish" in between and "Requests to validate" not in between
    finally:
        release.set()
        holder.join(20)
    assert not failures, failures
    # The newest id is still Turkey's; Spain's committed change shows all the same.
    assert AuditEntry.objects.order_by("-pk").first() == newest
    after = page()
    assert "Sitreps to publish" in after
    assert "Requests to validate" in after and "Suits for Madrid, submitted first" in after
