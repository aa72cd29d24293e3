"""Admin for sitreps: drafts' text is edited through the service; published ones are
read-only, and nothing is added or deleted here (drafting fills from the data)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.services import TEXT_FIELDS, update_sitrep_text


@admin.register(Sitrep)
class SitrepAdmin(admin.ModelAdmin[Sitrep]):
    list_display = ("__str__", "crisis", "sequence", "status", "published_at", "releasable")
    list_filter = ("status", "crisis", "releasable")
    fields = (
        "crisis",
        "status",
        "sequence",
        "message_number",
        "published_at",
        "originator",
        "approved_by",
        "corrects",
        *TEXT_FIELDS,
    )
    readonly_fields = (
        "crisis",
        "status",
        "sequence",
        "message_number",
        "published_at",
        "originator",
        "approved_by",
        "corrects",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Sitrep | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Sitrep | None = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Sitrep, form: Any, change: bool) -> None:
        # The service checks the role, refuses a published sitrep and writes the audit.
        update_sitrep_text(
            request.user, obj, **{name: form.cleaned_data[name] for name in form.changed_data}
        )
