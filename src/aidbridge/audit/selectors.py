"""Reading the audit trail: an entry is visible exactly when its target is.

Each audited model says who may see its rows through its own app's selector (requests,
offers, dispatches, sitreps, ...); an entry follows its target, so a nation's draft and
every entry about it (creation, edits, lines added and removed) stay the nation's own
until the draft is submitted, and no history endpoint, timeline or admin list can show
more than the objects themselves. Reference data (crises, parties, the catalogue, the
fleet) is readable by every role; anything not listed here is the centre's alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.models import AuditEntry


def _removed_lines_of(rfas: QuerySet[Any]) -> QuerySet[Any]:
    """Ids of request lines removed from ``rfas`` (the line row is gone; the RFA's
    ``rfa.line_remove`` entry keeps its id, see ``requests.services._write_lines``)."""
    from aidbridge.requests.models import RequestForAssistance

    return (
        AuditEntry.objects.filter(
            action="rfa.line_remove",
            target_type=ContentType.objects.get_for_model(RequestForAssistance),
            target_id__in=rfas.values("pk"),
        )
        .annotate(line_id=Cast(KT("changes__line_id__0"), BigIntegerField()))
        .values("line_id")
    )


def _visible_targets(actor: Any) -> dict[type[models.Model], Callable[[], Any] | None]:
    """For each audited model, the ids of its rows ``actor`` may see (a subquery), or
    None when every role sees every row."""
    from django.contrib.auth import get_user_model

    from aidbridge.accounts.selectors import users_visible_to
    from aidbridge.airlift.models import (
        Aircraft,
        AircraftType,
        AirfieldLimit,
        AirliftPlanRun,
        Sortie,
    )
    from aidbridge.airlift.selectors import plan_runs_visible_to, sorties_visible_to
    from aidbridge.allocations.models import AllocationRun
    from aidbridge.allocations.selectors import runs_visible_to
    from aidbridge.catalogue.models import Category, Item, Substitute
    from aidbridge.crises.models import Crisis
    from aidbridge.logistics import selectors as logistics
    from aidbridge.logistics.models import Dispatch, Receipt
    from aidbridge.offers import selectors as offers
    from aidbridge.offers.models import Offer, OfferLine
    from aidbridge.parties.models import Party
    from aidbridge.requests import selectors as requests
    from aidbridge.requests.models import RequestForAssistance, RequestLine
    from aidbridge.sitreps.models import Sitrep
    from aidbridge.sitreps.selectors import visible_sitreps

    return {
        RequestForAssistance: lambda: requests.rfas_visible_to(actor).values("pk"),
        RequestLine: lambda: requests.lines_visible_to(actor).values("pk"),
        Offer: lambda: offers.offers_visible_to(actor).values("pk"),
        OfferLine: lambda: offers.offer_lines_visible_to(actor).values("pk"),
        Dispatch: lambda: logistics.dispatches_visible_to(actor).values("pk"),
        Receipt: lambda: logistics.receipts_visible_to(actor).values("pk"),
        Sitrep: lambda: visible_sitreps(actor).values("pk"),
        AllocationRun: lambda: runs_visible_to(actor).values("pk"),
        AirliftPlanRun: lambda: plan_runs_visible_to(actor).values("pk"),
        Sortie: lambda: sorties_visible_to(actor).values("pk"),
        get_user_model(): lambda: users_visible_to(actor).values("pk"),
        **{
            model: None
            for model in (
                Crisis,
                Party,
                Category,
                Item,
                Substitute,
                AircraftType,
                Aircraft,
                AirfieldLimit,
            )
        },
    }


def entry_visibility(actor: Any) -> Q:
    """The entries ``actor`` may see: those whose target they may see.

    Lines removed from a request are seen by whoever sees the request. Entries about
    models not listed in ``_visible_targets`` (tokens, ...) are the centre's only.
    Raises NotAllowed for an anonymous or role-less user.
    """
    from aidbridge.requests.models import RequestLine
    from aidbridge.requests.selectors import rfas_visible_to

    profile = profile_of(actor)
    targets = _visible_targets(actor)
    types = ContentType.objects.get_for_models(*targets, for_concrete_models=True)
    seen = Q()
    for model, ids in targets.items():
        if ids is None:
            seen |= Q(target_type=types[model])
        else:
            seen |= Q(target_type=types[model], target_id__in=ids())
    seen |= Q(
        target_type=types[RequestLine],
        target_id__in=_removed_lines_of(rfas_visible_to(actor)),
    )
    if profile.is_centre:
        seen |= ~Q(target_type__in=list(types.values()))
    return seen


def entries_visible_to(actor: Any) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(entry_visibility(actor))


def history_of(actor: Any, target: models.Model) -> models.QuerySet[AuditEntry]:
    """Entries about one object that ``actor`` may see, oldest first."""
    return (
        entries_visible_to(actor)
        .filter(
            target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
            target_id=target.pk,
        )
        .select_related("actor", "actor_party")
    )
