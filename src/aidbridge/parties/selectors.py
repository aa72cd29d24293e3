"""Reading parties."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from aidbridge.core.errors import NotFound, ValidationFailed
from aidbridge.parties.models import Party


def party_list(
    *, search: str | None = None, kind: str | None = None, active: bool | None = None
) -> QuerySet[Party]:
    parties = Party.objects.all()
    if kind:
        parties = parties.filter(kind=kind)
    if active is not None:
        parties = parties.filter(active=active)
    if search and search.strip():
        text = search.strip()
        parties = parties.filter(
            Q(code__icontains=text) | Q(name_en__icontains=text) | Q(name_fr__icontains=text)
        )
    return parties


def party_by_code(code: str) -> Party:
    party = Party.objects.filter(code__iexact=code.strip()).first()
    if party is None:
        raise NotFound(gettext("no party with code %(code)s") % {"code": repr(code)}, field="code")
    return party


def party_for_input(code: str, field: str) -> Party:
    """A party named in a request body or filter; unknown is a 422 naming ``field``."""
    party = Party.objects.filter(code__iexact=(code or "").strip()).first()
    if party is None:
        raise ValidationFailed(
            gettext("unknown party %(code)s") % {"code": repr(code)}, field=field
        )
    return party
