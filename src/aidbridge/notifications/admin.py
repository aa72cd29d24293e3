"""Admin: notifications sent, to check who was told what (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.notifications.models import Notification
from aidbridge.notifications.selectors import notifications_visible_to


@admin.register(Notification)
class NotificationAdmin(CentreAdmin[Notification]):
    list_display = ("created_at", "kind", "subject", "recipient", "read_at")
    list_filter = ("kind", "crisis")
    search_fields = ("subject", "recipient__username")
    list_select_related = ("recipient",)

    def visible_rows(self, actor: Any) -> QuerySet[Notification]:
        return notifications_visible_to(actor)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in Notification._meta.fields]
