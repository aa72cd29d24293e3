"""Admin: the catalogue is reference data the centre curates (no deletion: requests and
offers point at items; retire an item by unticking "active")."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin, centre_may_use_admin
from aidbridge.catalogue.models import Category, Item, Substitute


@admin.register(Category)
class CategoryAdmin(CentreAdmin[Category]):
    allow_add = True
    allow_change = True
    list_display = ("code", "name_en", "name_fr")
    search_fields = ("code", "name_en", "name_fr")


class SubstituteInline(admin.TabularInline[Substitute, Item]):
    model = Substitute
    fk_name = "need_item"
    autocomplete_fields = ("supply_item",)
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return centre_may_use_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return centre_may_use_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return centre_may_use_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return centre_may_use_admin(request)


@admin.register(Item)
class ItemAdmin(CentreAdmin[Item]):
    allow_add = True
    allow_change = True
    list_display = ("code", "name_en", "name_fr", "category", "unit", "unit_weight_kg", "active")
    list_filter = ("category", "unit", "active")
    search_fields = ("code", "name_en", "name_fr")
    list_select_related = ("category",)
    inlines = (SubstituteInline,)
