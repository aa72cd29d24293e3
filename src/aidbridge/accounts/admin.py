"""Admin: users' places (party, role) and API tokens, for centre staff to look up."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.accounts.models import ApiToken, Profile
from aidbridge.accounts.services import deactivate_user, revoke_api_token


@admin.register(Profile)
class ProfileAdmin(CentreAdmin[Profile]):
    """Users are created through the API (/users) or ``aidbridge createuser``."""

    list_display = ("user", "party", "role", "language")
    list_filter = ("role", "party")
    search_fields = ("user__username", "user__email", "party__code")
    list_select_related = ("user", "party")
    actions = ["deactivate"]

    @admin.action(description="Deactivate the selected users")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Profile]) -> None:
        """Under the same role rule as the API (``accounts.actions``)."""
        self.run_service(
            request,
            queryset,
            lambda actor, profile: deactivate_user(actor, profile.user, "in the admin"),
            "user(s) deactivated",
        )


@admin.register(ApiToken)
class ApiTokenAdmin(CentreAdmin[ApiToken]):
    list_display = (
        "prefix",
        "name",
        "user",
        "scope",
        "issued_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope", "revoked_at")
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user", "issued_by")
    exclude = ("key_hash",)
    actions = ["revoke"]

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        self.run_service(request, queryset, revoke_api_token, "token(s) revoked")
