"""Admin: parties. Added and renamed through the parties services (audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.core.errors import DomainError
from aidbridge.parties import services
from aidbridge.parties.models import Party


class PartyForm(forms.ModelForm[Party]):
    class Meta:
        model = Party
        fields = ("code", "kind", "name_en", "name_fr")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.instance.pk and "code" in data and "kind" in data:
            try:
                data["code"] = services.check_code(data["code"], data["kind"])
            except DomainError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


@admin.register(Party)
class PartyAdmin(CentreAdmin[Party]):
    allow_add = True
    allow_change = True
    form = PartyForm
    list_display = ("code", "kind", "name_en", "name_fr", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name_en", "name_fr")
    actions = ["deactivate", "reactivate"]

    def get_readonly_fields(self, request: HttpRequest, obj: Party | None = None) -> Any:
        # A party's code and kind are its identity; "active" changes by action only.
        return ("code", "kind", "active") if obj else ("active",)

    def save_model(self, request: HttpRequest, obj: Party, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            names = {k: data[k] for k in ("name_en", "name_fr") if k in form.changed_data}
            services.update_party(request.user, obj, **names)
        else:
            created = services.create_party(
                request.user,
                code=data["code"],
                kind=data["kind"],
                name_en=data["name_en"],
                name_fr=data["name_fr"],
            )
            obj.pk = created.pk

    @admin.action(description="Deactivate the selected parties")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Party]) -> None:
        self.run_service(request, queryset, services.deactivate_party, "party(ies) deactivated")

    @admin.action(description="Reactivate the selected parties")
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Party]) -> None:
        self.run_service(request, queryset, services.reactivate_party, "party(ies) reactivated")
