"""Reading crises."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from aidbridge.core.errors import NotFound, ValidationFailed
from aidbridge.crises.models import Crisis


def crisis_list(*, status: str | None = None, search: str | None = None) -> QuerySet[Crisis]:
    crises = Crisis.objects.all()
    if status:
        crises = crises.filter(status=status)
    if search and search.strip():
        text = search.strip()
        crises = crises.filter(
            Q(code__icontains=text) | Q(name_en__icontains=text) | Q(name_fr__icontains=text)
        )
    return crises


def crisis_by_code(code: str) -> Crisis:
    crisis = Crisis.objects.filter(code__iexact=code.strip()).first()
    if crisis is None:
        raise NotFound(gettext("no crisis with code %(code)s") % {"code": repr(code)}, field="code")
    return crisis


def crisis_for_input(code: str, field: str) -> Crisis:
    """A crisis named in a request body or filter; unknown is a 422 naming ``field``."""
    crisis = Crisis.objects.filter(code__iexact=(code or "").strip()).first()
    if crisis is None:
        raise ValidationFailed(
            gettext("unknown crisis %(code)s") % {"code": repr(code)}, field=field
        )
    return crisis
