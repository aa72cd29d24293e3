"""Reading the audit trail: an entry is visible exactly when its target is.

Each audited model says who may see its rows through its own app's selector (requests,
offers, dispatches, sitreps, ...), registered in ``audit.visibility`` by that app; an
entry follows its target, so a nation's draft and every entry about it (creation,
edits, lines added and removed) stay the nation's own until the draft is submitted,
and no history endpoint, timeline or admin list can show more than the objects
themselves. Reference data (crises, parties, the catalogue, the
fleet) is readable by every role; anything not registered is the centre's alone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from aidbridge.accounts.permissions import profile_of
from aidbridge.audit import visibility
from aidbridge.audit.models import AuditEntry


def entry_visibility(actor: Any) -> Q:
    """The entries ``actor`` may see: those whose target they may see.

    Lines removed from a request are seen by whoever sees the request. Entries about
    models no app registered (``audit.visibility``: tokens, ...) are the centre's only.
    Raises NotAllowed for an anonymous or role-less user.
    """
    profile = profile_of(actor)
    targets = visibility.registered()
    types = ContentType.objects.get_for_models(*targets, for_concrete_models=True)
    seen = Q()
    for model, rows in targets.items():
        if rows is None:
            seen |= Q(target_type=types[model])
        else:
            seen |= Q(target_type=types[model], target_id__in=rows(actor).values("pk"))
    for rule in visibility.extras():
        seen |= rule(actor)
    if profile.is_centre:
        seen |= ~Q(target_type__in=list(types.values()))
    return seen


def entry_visible_to(actor: Any, entry: AuditEntry) -> bool:
    """Whether ``actor`` may see one entry: ``entry_visibility``'s rule, asking only the
    selector of the entry's target model (one small query instead of every model's),
    then the extra rules (lines removed from a request) for this one entry.
    Raises NotAllowed for an anonymous or role-less user."""
    profile = profile_of(actor)
    model = ContentType.objects.get_for_id(entry.target_type_id).model_class()
    targets = visibility.registered()
    if model not in targets:
        return profile.is_centre
    rows = targets[model]
    if rows is None or rows(actor).filter(pk=entry.target_id).exists():
        return True
    extra = Q()
    for rule in visibility.extras():
        extra |= rule(actor)
    return bool(visibility.extras()) and AuditEntry.objects.filter(extra, pk=entry.pk).exists()


def visible_among(actor: Any, entries: list[AuditEntry]) -> list[AuditEntry]:
    """The entries of ``entries`` that ``actor`` may see, in their order:
    ``entry_visibility``'s rule asked of this batch only (each target model's selector
    narrowed to the batch's targets, then the extra rules for what is left), so reading
    a few entries costs a few small queries, not the rule over every audited row.
    Raises NotAllowed for an anonymous or role-less user."""
    profile = profile_of(actor)
    targets = visibility.registered()
    by_type: dict[int, set[int]] = {}
    for entry in entries:
        by_type.setdefault(entry.target_type_id, set()).add(entry.target_id)
    seen: set[tuple[int, int]] = set()
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model not in targets:
            if profile.is_centre:
                seen |= {(type_id, pk) for pk in ids}
            continue
        rows = targets[model]
        found = ids if rows is None else rows(actor).filter(pk__in=ids).values_list("pk", flat=True)
        seen |= {(type_id, pk) for pk in found}
    rest = [e for e in entries if (e.target_type_id, e.target_id) not in seen]
    also: set[int] = set()
    for rule in visibility.extras():
        about = visibility.extra_about(rule)
        only = None if about is None else ContentType.objects.get_for_model(about).pk
        asked = [e.pk for e in rest if only is None or e.target_type_id == only]
        if asked:
            extra = AuditEntry.objects.filter(rule(actor), pk__in=asked)
            also |= set(extra.values_list("pk", flat=True))
    return [e for e in entries if (e.target_type_id, e.target_id) in seen or e.pk in also]


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
