"""When a dispatch or a receipt happened: given by the client (API or page), checked
against the clock, the acceptance and the dispatch, and used by the sitreps' deliveries
per day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aidbridge.audit.models import AuditEntry
from aidbridge.logistics.events import CLOCK_SKEW
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.offers.models import OfferLine
from aidbridge.offers.services import accept_offer_line, make_offer
from aidbridge.offers.tests.factories import ita_rfa  # noqa: F401 (fixture)
from aidbridge.requests.models import RequestForAssistance


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def accepted_days_ago(users: dict[str, Any], ita_rfa: RequestForAssistance) -> OfferLine:  # noqa: F811
    """Germany's 50 ventilators, 40 of them accepted by Italy five days ago.

    The clock is set back for the acceptance only, so its audit entry says when it
    happened, as it would for a record made then.
    """
    line = make_offer(
        users["deu"], rfa=ita_rfa, lines=[{"request_line": ita_rfa.lines.first(), "quantity": 50}]
    ).lines.get()
    five_days_ago = timezone.now() - timedelta(days=5)
    with mock.patch("django.utils.timezone.now", return_value=five_days_ago):
        accept_offer_line(users["ita"], line, 40)
    return line


def _deliveries_by_day(api: Any, code: str) -> dict[str, int]:
    drafted = api("duty").post(f"/crises/{code}/sitreps", {})
    assert drafted.status_code == 201, drafted.json()
    figures = api("duty").get(f"/sitreps/{drafted.json()['id']}").json()["figures"]
    return {row["day"]: row["count"] for row in figures["deliveries_by_day"]}


def test_past_dates_given_through_the_api_are_kept_and_counted_on_their_day(
    api, crisis, accepted_days_ago
) -> None:
    now = timezone.now()
    sent_at, received_at = now - timedelta(days=3), now - timedelta(days=2)
    sent = api("deu").post(
        f"/offer-lines/{accepted_days_ago.pk}/dispatches",
        {"quantity": 30, "mode": "road", "dispatched_at": _iso(sent_at)},
    )
    assert sent.status_code == 201, sent.json()
    assert sent.json()["dispatched_at"].startswith(sent_at.date().isoformat())
    received = api("ita").post(
        f"/dispatches/{sent.json()['id']}/receipt",
        {"quantity": 30, "received_at": _iso(received_at)},
    )
    assert received.status_code == 201, received.json()
    receipt = Receipt.objects.get()
    assert receipt.received_at.date() == received_at.date()
    assert receipt.created_at - receipt.received_at > timedelta(days=1)  # entered later
    assert _deliveries_by_day(api, crisis.code) == {received_at.date().isoformat(): 1}


def test_no_date_means_now(api, accepted_days_ago) -> None:
    before = timezone.now()
    sent = api("deu").post(
        f"/offer-lines/{accepted_days_ago.pk}/dispatches", {"quantity": 5, "mode": "road"}
    )
    assert sent.status_code == 201, sent.json()
    assert before <= Dispatch.objects.get().dispatched_at <= timezone.now()


def test_a_clock_running_a_little_fast_is_tolerated(api, accepted_days_ago) -> None:
    ahead = timezone.now() + CLOCK_SKEW - timedelta(minutes=1)
    sent = api("deu").post(
        f"/offer-lines/{accepted_days_ago.pk}/dispatches",
        {"quantity": 5, "mode": "road", "dispatched_at": _iso(ahead)},
    )
    assert sent.status_code == 201, sent.json()


@pytest.mark.parametrize("kind", ["dispatch", "receipt"])
def test_a_date_in_the_future_is_refused_naming_the_field(api, accepted_days_ago, kind) -> None:
    future = _iso(timezone.now() + CLOCK_SKEW + timedelta(minutes=5))
    if kind == "dispatch":
        url, body, field = (
            f"/offer-lines/{accepted_days_ago.pk}/dispatches",
            {"quantity": 5, "mode": "road", "dispatched_at": future},
            "dispatched_at",
        )
        who = "deu"
    else:
        sent = api("deu").post(
            f"/offer-lines/{accepted_days_ago.pk}/dispatches", {"quantity": 5, "mode": "road"}
        )
        url, body, field = (
            f"/dispatches/{sent.json()['id']}/receipt",
            {"quantity": 5, "received_at": future},
            "received_at",
        )
        who = "ita"
    entries = AuditEntry.objects.count()
    response = api(who).post(url, body)
    assert response.status_code == 422, response.json()
    assert response.json()["errors"] == [
        {"field": field, "message": response.json()["errors"][0]["message"]}
    ]
    assert "future" in response.json()["detail"]
    assert AuditEntry.objects.count() == entries
    assert not Receipt.objects.exists()


def test_a_dispatch_before_the_acceptance_is_refused(api, accepted_days_ago) -> None:
    response = api("deu").post(
        f"/offer-lines/{accepted_days_ago.pk}/dispatches",
        {"quantity": 5, "mode": "road", "dispatched_at": _iso(timezone.now() - timedelta(days=6))},
    )
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["field"] == "dispatched_at"
    assert "accepted" in response.json()["detail"]
    assert not Dispatch.objects.exists()


def test_a_receipt_before_its_dispatch_is_refused(api, accepted_days_ago) -> None:
    sent_at = timezone.now() - timedelta(days=2)
    sent = api("deu").post(
        f"/offer-lines/{accepted_days_ago.pk}/dispatches",
        {"quantity": 5, "mode": "road", "dispatched_at": _iso(sent_at)},
    )
    response = api("ita").post(
        f"/dispatches/{sent.json()['id']}/receipt",
        {"quantity": 5, "received_at": _iso(sent_at - timedelta(hours=1))},
    )
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["field"] == "received_at"
    assert not Receipt.objects.exists()


# --- the pages ----------------------------------------------------------------------


def _page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _local(moment: datetime) -> str:
    """A browser's datetime-local value (the page reads it as UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def test_the_pages_take_the_dates_and_the_sitrep_counts_them_on_their_day(
    api, users, crisis, accepted_days_ago
) -> None:
    now = timezone.now()
    sent_at, received_at = now - timedelta(days=4), now - timedelta(days=1)
    response = _page(users["deu"]).post(
        reverse("web:offer_line_dispatch", args=[accepted_days_ago.pk]),
        {"quantity": "30", "mode": "road", "dispatched_at": _local(sent_at)},
    )
    assert response.status_code == 302, response.content[:300]
    dispatch = Dispatch.objects.get()
    assert dispatch.dispatched_at == sent_at.replace(second=0, microsecond=0)
    response = _page(users["ita"]).post(
        reverse("web:dispatch_receipt", args=[dispatch.pk]),
        {"quantity": "30", "received_at": _local(received_at)},
    )
    assert response.status_code == 302, response.content[:300]
    assert Receipt.objects.get().received_at.date() == received_at.date()
    assert _deliveries_by_day(api, crisis.code) == {received_at.date().isoformat(): 1}


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.mark.parametrize("kind", ["future dispatch", "receipt before dispatch"])
def test_the_pages_refuse_bad_dates_naming_the_field(users, accepted_days_ago, kind) -> None:
    now = timezone.now()
    if kind == "future dispatch":
        url = reverse("web:offer_line_dispatch", args=[accepted_days_ago.pk])
        post = {"quantity": "5", "mode": "road", "dispatched_at": _local(now + timedelta(days=1))}
        client, field = _page(users["deu"]), "dispatched_at"
    else:
        url = reverse("web:offer_line_dispatch", args=[accepted_days_ago.pk])
        sent = {"quantity": "5", "mode": "road", "dispatched_at": _local(now - timedelta(days=1))}
        assert _page(users["deu"]).post(url, sent).status_code == 302
        url = reverse("web:dispatch_receipt", args=[Dispatch.objects.get().pk])
        post = {"quantity": "5", "received_at": _local(now - timedelta(days=2))}
        client, field = _page(users["ita"]), "received_at"
    dispatches = Dispatch.objects.count()
    response = client.post(url, post, HTTP_REFERER="/")
    assert response.status_code == 303
    label = "Dispatched at" if field == "dispatched_at" else "Received at"
    assert any(m.startswith(label) and "cannot be" in m for m in _messages(response)), _messages(
        response
    )
    assert Dispatch.objects.count() == dispatches and not Receipt.objects.exists()
