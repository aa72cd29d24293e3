"""Reading sitreps: who may see which, the previous one, and the figures to show."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from aidbridge.accounts.permissions import is_centre, profile_of
from aidbridge.core.errors import NotFound
from aidbridge.crises.models import Crisis
from aidbridge.sitreps.figures import compute_figures
from aidbridge.sitreps.models import Sitrep


def previous_published(crisis: Crisis, before: Sitrep | None = None) -> Sitrep | None:
    """The latest published sitrep of ``crisis`` (before ``before`` if given)."""
    qs = Sitrep.objects.filter(crisis=crisis, status=Sitrep.Status.PUBLISHED)
    if before is not None and before.sequence is not None:
        qs = qs.filter(sequence__lt=before.sequence)
    return qs.order_by("-sequence").first()


def visible_sitreps(actor: Any, crisis: Crisis | None = None) -> QuerySet[Sitrep]:
    """Drafts are the centre's working papers; every signed-in role reads published ones."""
    profile_of(actor)
    qs = Sitrep.objects.select_related("crisis", "originator", "approved_by", "corrects")
    if crisis is not None:
        qs = qs.filter(crisis=crisis)
    if not is_centre(actor):
        qs = qs.filter(status=Sitrep.Status.PUBLISHED)
    return qs.order_by("crisis__code", "-sequence", "-id")


def public_sitreps() -> QuerySet[Sitrep]:
    """What the public may read: published and marked releasable."""
    return (
        Sitrep.objects.filter(status=Sitrep.Status.PUBLISHED, releasable=True)
        .select_related("crisis")
        .order_by("-published_at", "-id")
    )


def get_sitrep(actor: Any, pk: int, *, field: str = "sitrep") -> Sitrep:
    try:
        return visible_sitreps(actor).prefetch_related("rfas").get(pk=pk)
    except Sitrep.DoesNotExist:
        raise NotFound(gettext("no sitrep %(pk)s") % {"pk": pk}, field=field) from None


def get_public_sitrep(pk: int) -> Sitrep:
    try:
        return public_sitreps().get(pk=pk)
    except Sitrep.DoesNotExist:
        raise NotFound(gettext("no public sitrep %(pk)s") % {"pk": pk}, field="sitrep") from None


def figures_of(sitrep: Sitrep) -> dict[str, Any]:
    """The frozen figures of a published sitrep; a draft's are computed now."""
    if sitrep.snapshot is not None:
        return sitrep.snapshot
    previous = previous_published(sitrep.crisis)
    return compute_figures(sitrep.crisis, since=previous.published_at if previous else None)
