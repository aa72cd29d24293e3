"""The admin is for centre staff, and it obeys the same services as the API.

``CentreAdmin`` opens a model to superusers and to active staff whose role is a centre
role (no per-model Django permissions to keep in step with the role table). By default
nothing is added, changed or deleted here: a model admin opts in, and routes writes
through the services so the rules and the audit trail apply.

Staff see in the admin what the centre may see anywhere else: a model admin names its
app's visibility selector in ``visible_rows`` (a nation's live drafts, and their audit
entries, stay out of the centre's lists). Superusers, the operators, see every row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from aidbridge.accounts.permissions import is_centre
from aidbridge.core.errors import DomainError

M = TypeVar("M", bound=Model)


def centre_may_use_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or (user.is_staff and is_centre(user))))


class CentreAdmin(admin.ModelAdmin[M], Generic[M]):
    allow_add = False
    allow_change = False

    def visible_rows(self, actor: Any) -> QuerySet[M] | None:
        """The rows ``actor`` may see (the app's selector), or None for every row."""
        return None

    def get_queryset(self, request: HttpRequest) -> QuerySet[M]:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        visible = self.visible_rows(request.user)
        return rows if visible is None else rows.filter(pk__in=visible.values("pk"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return centre_may_use_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return centre_may_use_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.allow_add and centre_may_use_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allow_change and centre_may_use_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # History and references must survive; deactivate or close instead.
        return False

    def run_service(
        self,
        request: HttpRequest,
        queryset: QuerySet[M],
        service: Callable[[Any, M], Any],
        done: str,
    ) -> None:
        """Apply ``service`` to each selected row; report refusals instead of failing."""
        ok = 0
        for obj in queryset:
            try:
                service(request.user, obj)
                ok += 1
            except DomainError as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
        if ok:
            self.message_user(request, f"{ok} {done}", messages.SUCCESS)
