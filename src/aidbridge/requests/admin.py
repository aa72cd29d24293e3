"""Admin: requests for assistance, read-only; status changes go through the services
(the same checks, references and audit entries as the API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.requests import services
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.selectors import rfas_visible_to

RFA = RequestForAssistance


class LineInline(admin.TabularInline[RequestLine, RFA]):
    model = RequestLine
    extra = 0
    fields = (
        "position",
        "item",
        "quantity",
        "unit",
        "priority",
        "needed_by",
        "delivery_airport",
        "delivery_place",
        "transport_needed",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(RFA)
class RequestForAssistanceAdmin(CentreAdmin[RFA]):
    list_display = ("__str__", "title", "crisis", "requester", "status", "closure", "created_at")
    list_filter = ("status", "closure", "crisis", "requester")
    search_fields = ("reference", "title", "situation")
    list_select_related = ("crisis", "requester")
    inlines = (LineInline,)
    actions = ["circulate", "close_overtaken"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in RFA._meta.fields]

    def visible_rows(self, actor: Any) -> QuerySet[RFA]:
        # The centre does not see a nation's drafts, in the admin either.
        return rfas_visible_to(actor)

    @admin.action(description="Circulate the selected submitted requests")
    def circulate(self, request: HttpRequest, queryset: QuerySet[RFA]) -> None:
        self.run_service(request, queryset, services.circulate_request, "request(s) circulated")

    @admin.action(description="Close the selected requests as overtaken by events")
    def close_overtaken(self, request: HttpRequest, queryset: QuerySet[RFA]) -> None:
        def close(actor: Any, rfa: RFA) -> RFA:
            return services.close_rfa(actor, rfa, RFA.Closure.OVERTAKEN, "closed in the admin")

        self.run_service(request, queryset, close, "request(s) closed")
