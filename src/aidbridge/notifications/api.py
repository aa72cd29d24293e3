"""API: the signed-in user's inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import PathId
from aidbridge.notifications import selectors, services
from aidbridge.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    crisis: str | None
    link: str
    created_at: datetime
    read_at: datetime | None


class InboxFilters(Schema):
    unread: bool | None = Field(None, description="true: unread only; false: read only")
    kind: str | None = Field(None, description="rfa.circulated, offer.made, ...")
    crisis: str | None = Field(None, description="Crisis code")


class MarkedOut(Schema):
    marked: int


def _row(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "subject": n.subject,
        "body": n.body,
        "crisis": n.crisis.code if n.crisis else None,
        "link": n.link,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get("/notifications", response=Page[NotificationOut])
def list_notifications(
    request: HttpRequest, filters: Query[InboxFilters], page: Query[PageParams]
) -> dict[str, Any]:
    rows = selectors.inbox(request.user, **filters.dict())
    return paginate(request, rows, page, lambda page_rows: [_row(n) for n in page_rows])


@router.post("/notifications/read-all", response=MarkedOut)
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    selectors.inbox(request.user)  # refuses a user without a role
    return {"marked": services.mark_all_read(request.user)}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def mark_read(request: HttpRequest, notification_id: PathId) -> dict[str, Any]:
    notification = selectors.own_notification(request.user, notification_id)
    return _row(services.mark_read(request.user, notification))
