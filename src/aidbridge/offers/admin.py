"""Admin: offers and their lines, read-only. Decisions go through the API and the pages,
where the services apply the role rules, the row locks and the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.selectors import offer_lines_visible_to, offers_visible_to

LINE_FIELDS = (
    "request_line",
    "item",
    "quantity",
    "accepted",
    "declined",
    "status",
    "decline_reason",
    "over_acceptance_reason",
    "drawn_from",
    "notes",
)


class OfferLineInline(admin.TabularInline[OfferLine, Offer]):
    model = OfferLine
    extra = 0
    fields = LINE_FIELDS
    readonly_fields = LINE_FIELDS
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(CentreAdmin[Offer]):
    list_display = ("reference", "crisis", "donor", "rfa", "own_transport", "created_at")
    list_filter = ("crisis", "donor", "own_transport")
    search_fields = ("reference", "conditions", "origin_place", "origin_airport")
    list_select_related = ("crisis", "donor", "rfa")
    date_hierarchy = "created_at"
    inlines = (OfferLineInline,)
    actions = None

    def visible_rows(self, actor: Any) -> QuerySet[Offer]:
        return offers_visible_to(actor)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in Offer._meta.fields]


@admin.register(OfferLine)
class OfferLineAdmin(CentreAdmin[OfferLine]):
    list_display = ("__str__", "item", "quantity", "accepted", "declined", "status")
    list_filter = ("status", "offer__crisis", "offer__donor")
    search_fields = ("offer__reference", "item__code", "decline_reason")
    list_select_related = ("offer", "item")
    actions = None

    def visible_rows(self, actor: Any) -> QuerySet[OfferLine]:
        return offer_lines_visible_to(actor)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in OfferLine._meta.fields]
