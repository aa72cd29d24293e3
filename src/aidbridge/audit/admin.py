"""Admin: the audit trail, to read only. Nothing here adds, edits or deletes history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import entries_visible_to


@admin.register(AuditEntry)
class AuditEntryAdmin(CentreAdmin[AuditEntry]):
    list_display = ("at", "action", "target_repr", "actor", "actor_party", "from_state", "to_state")
    list_filter = ("action", "crisis", "actor_party")
    search_fields = ("target_repr", "reason", "action")
    list_select_related = ("actor", "actor_party")
    date_hierarchy = "at"
    actions = None  # not even the bulk "delete selected"

    def visible_rows(self, actor: Any) -> QuerySet[AuditEntry]:
        # An entry follows its target: a nation's live drafts' entries stay its own.
        return entries_visible_to(actor)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in AuditEntry._meta.fields]
