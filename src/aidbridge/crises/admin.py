"""Admin: crises. Opened, edited and closed through the crises services (audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.core.errors import DomainError
from aidbridge.crises import services
from aidbridge.crises.models import Crisis


class CrisisForm(forms.ModelForm[Crisis]):
    class Meta:
        model = Crisis
        fields = ("code", "name_en", "name_fr", "started_on", "description")

    def clean_code(self) -> str:
        try:
            return services.check_code(self.cleaned_data["code"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


@admin.register(Crisis)
class CrisisAdmin(CentreAdmin[Crisis]):
    allow_add = True
    allow_change = True
    form = CrisisForm
    list_display = ("code", "name_en", "started_on", "status", "closed_on")
    list_filter = ("status",)
    search_fields = ("code", "name_en", "name_fr")
    actions = ["close"]

    def get_readonly_fields(self, request: HttpRequest, obj: Crisis | None = None) -> Any:
        return ("code", "status", "closed_on") if obj else ("status", "closed_on")

    def save_model(self, request: HttpRequest, obj: Crisis, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            fields = ("name_en", "name_fr", "started_on", "description")
            services.update_crisis(
                request.user, obj, **{k: data[k] for k in fields if k in form.changed_data}
            )
        else:
            created = services.create_crisis(
                request.user,
                code=data["code"],
                name_en=data["name_en"],
                name_fr=data["name_fr"],
                started_on=data["started_on"],
                description=data.get("description", ""),
            )
            obj.pk = created.pk

    @admin.action(description="Close the selected crises")
    def close(self, request: HttpRequest, queryset: QuerySet[Crisis]) -> None:
        self.run_service(request, queryset, services.close_crisis, "crisis(es) closed")
