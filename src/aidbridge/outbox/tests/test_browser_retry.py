"""Retry now in a real browser: it asks first; dismissed, nothing changes; accepted,
the message is tried again at once and the page says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from aidbridge.audit.models import AuditEntry
from aidbridge.outbox.models import DeliveryAttempt, OutboxMessage
from aidbridge.outbox.services import enqueue
from aidbridge.web.tests.conftest import browser, open_page

__all__ = ["browser", "open_page"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_retry_now_asks_first(open_page: Any, users: dict[str, Any]) -> None:
    with transaction.atomic():
        message = enqueue("nowhere:1", "rfa:1", "{}", event_type="offer.made")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="failing", attempts=12, last_error="HTTP 503 Service Unavailable"
    )
    page = open_page(users["duty"])
    answer = page.goto("/outbox/?status=failing", timeout=60_000)
    assert answer is not None and answer.status == 200, answer and answer.status
    assert "HTTP 503 Service Unavailable" in page.inner_text(f"#message-{message.pk}")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click(f"#message-{message.pk} button")
    assert asked == ["Try this message again now?"]
    assert OutboxMessage.objects.get(pk=message.pk).status == "failing"
    tried = DeliveryAttempt.objects.filter(message_id=message.pk).count()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click(f"#message-{message.pk} button")
    assert "The message will be tried again now." in page.content()
    # Tried at once (the tests' task backend runs the delivery task on commit); its
    # destination still cannot be reached, so it is failing again, one attempt more.
    assert AuditEntry.objects.filter(action="outbox.retry", target_id=message.pk).exists()
    assert DeliveryAttempt.objects.filter(message_id=message.pk).count() == tried + 1
    assert page.console_errors == []
