"""API: a machine account's webhook subscriptions (``/webhooks``) and their deliveries.

The secret (``whsec_...``) is in the answer to the creation and to each rotation, and
nowhere else."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import InputSchema, PathId
from aidbridge.outbox.models import OutboxMessage
from aidbridge.webhooks import selectors, services
from aidbridge.webhooks.models import EventType, Subscription

router = Router(tags=["webhooks"])


class WebhookIn(InputSchema):
    url: str = Field(..., max_length=500, description="http or https URL receiving the events")
    event_types: list[EventType] = Field(..., min_length=1, max_length=len(EventType.values))
    description: str = Field("", max_length=200)


class RotateIn(InputSchema):
    grace_hours: int | None = Field(
        None,
        ge=0,
        le=services.MAX_GRACE_HOURS,
        description="how long the old secret still signs (default 24)",
    )


class WebhookOut(Schema):
    id: int
    url: str
    event_types: list[str]
    description: str
    created_at: datetime
    previous_secret_valid_until: datetime | None


class WebhookSecretOut(WebhookOut):
    secret: str = Field(..., description="whsec_...; shown in this answer only")


class DeliveryOut(Schema):
    message_id: str = Field(..., description="the webhook-id header")
    event_type: str
    status: OutboxMessage.Status
    attempts: int
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str


def _out(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.pk,
        "url": sub.url,
        "event_types": sub.event_types,
        "description": sub.description,
        "created_at": sub.created_at,
        "previous_secret_valid_until": sub.previous_valid_until if sub.previous_secret else None,
    }


@router.post("/webhooks", response={201: WebhookSecretOut})
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Status[dict[str, Any]]:
    """Register a URL for some event types (machine accounts only)."""
    sub = services.create_subscription(
        request.user,
        payload.url,
        [t.value for t in payload.event_types],
        description=payload.description,
    )
    return Status(201, {**_out(sub), "secret": sub.secret})


@router.get("/webhooks", response=list[WebhookOut])
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(s) for s in selectors.subscriptions_of(request.user)]


@router.delete("/webhooks/{webhook_id}", response=WebhookOut)
def delete_webhook(request: HttpRequest, webhook_id: PathId) -> dict[str, Any]:
    """Stop sending; undelivered messages are cancelled."""
    sub = selectors.own_subscription(request.user, webhook_id)
    return _out(services.delete_subscription(request.user, sub))


@router.post("/webhooks/{webhook_id}/rotate-secret", response=WebhookSecretOut)
def rotate_webhook_secret(
    request: HttpRequest, webhook_id: PathId, payload: RotateIn
) -> dict[str, Any]:
    """A new secret; the old one keeps signing beside it for the grace period."""
    sub = selectors.own_subscription(request.user, webhook_id)
    sub = services.rotate_secret(request.user, sub, grace_hours=payload.grace_hours)
    return {**_out(sub), "secret": sub.secret}


@router.get("/webhooks/{webhook_id}/deliveries", response=Page[DeliveryOut])
def webhook_deliveries(
    request: HttpRequest, webhook_id: PathId, page: Query[PageParams]
) -> dict[str, Any]:
    """The delivery log: each event's status, attempts and last answer, newest first."""
    sub = selectors.own_subscription(request.user, webhook_id)
    rows = selectors.deliveries_of(sub)
    return paginate(
        request,
        rows,
        page,
        lambda page_rows: [
            {
                f: getattr(m, f)
                for f in (
                    "message_id",
                    "event_type",
                    "status",
                    "attempts",
                    "created_at",
                    "delivered_at",
                    "next_attempt_at",
                    "last_status_code",
                    "last_error",
                )
            }
            for m in page_rows
        ],
    )
