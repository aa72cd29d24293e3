"""Admin: dispatches and receipts, read-only (they are reported through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.logistics.selectors import dispatches_visible_to, receipts_visible_to


@admin.register(Dispatch)
class DispatchAdmin(CentreAdmin[Dispatch]):
    list_display = ("__str__", "quantity", "mode", "dispatched_at", "expected_at")
    list_filter = ("mode", "offer_line__offer__crisis", "offer_line__offer__donor")
    search_fields = ("transport_reference", "offer_line__offer__reference", "note")
    list_select_related = ("offer_line__offer",)
    date_hierarchy = "dispatched_at"
    actions = None

    def visible_rows(self, actor: Any) -> QuerySet[Dispatch]:
        return dispatches_visible_to(actor)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in Dispatch._meta.fields]


@admin.register(Receipt)
class ReceiptAdmin(CentreAdmin[Receipt]):
    list_display = ("__str__", "quantity", "received_at", "confirmed_by")
    list_filter = ("dispatch__offer_line__offer__crisis",)
    search_fields = ("note", "dispatch__offer_line__offer__reference")
    list_select_related = ("dispatch__offer_line__offer", "confirmed_by")
    actions = None

    def visible_rows(self, actor: Any) -> QuerySet[Receipt]:
        return receipts_visible_to(actor)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in Receipt._meta.fields]
