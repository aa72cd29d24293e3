"""Business actions on sitreps: draft, edit the text, publish. Each writes an audit entry.

The duty officer drafts (the system fills the header and the figures from the data) and
writes the free text; the head of centre approves, which publishes: the sitrep gets its
number, its date-time group and a frozen copy of its figures, and never changes again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from aidbridge.accounts.models import Profile, Role
from aidbridge.accounts.permissions import profile_of
from aidbridge.audit.services import record
from aidbridge.core.actions import refuse
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.references import next_number
from aidbridge.core.text import max_length_of, text_problem
from aidbridge.crises.models import Crisis
from aidbridge.ledger.sums import pictured_rfas
from aidbridge.parties.models import Party
from aidbridge.sitreps.actions import draft_refusal, require_sitrep_action
from aidbridge.sitreps.figures import compute_figures
from aidbridge.sitreps.labels import label
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.selectors import previous_published

TEXT_FIELDS = (
    "general_situation",
    "general_situation_fr",
    "assessment",
    "assessment_fr",
    "marking_en",
    "marking_fr",
    "precedence",
    "from_line",
    "to_line",
    "releasable",
)


def message_number(year: int, number: int) -> str:
    return f"OPS({settings.AIDBRIDGE_CENTRE_CODE})({year}){number:04d}"


def _to_line() -> str:
    """The addressees: every nation with an active point of contact."""
    codes = (
        Profile.objects.filter(
            role=Role.NATIONAL_POC, user__is_active=True, party__kind=Party.Kind.NATION
        )
        .values_list("party__code", flat=True)
        .distinct()
        .order_by("party__code")
    )
    return f"{label('to_pocs', 'en')}: " + ", ".join(codes) if codes else ""


@transaction.atomic
def draft_sitrep(actor: Any, crisis: Crisis, *, corrects: Sitrep | None = None) -> Sitrep:
    """Start the next sitrep of ``crisis``, filled from the data.

    A correction copies the free text of the sitrep it corrects so the officer edits
    rather than retypes.
    """
    refuse(draft_refusal(actor, crisis, correction=corrects is not None))
    profile = profile_of(actor)
    if corrects is not None:
        if not corrects.is_published:
            raise ValidationFailed(
                gettext("only a published sitrep can be corrected"), field="corrects"
            )
        if corrects.crisis_id != crisis.pk:
            raise ValidationFailed(
                gettext("the corrected sitrep is of another crisis"), field="corrects"
            )
    previous = previous_published(crisis)
    sitrep = Sitrep(
        crisis=crisis,
        originator=actor,
        from_line=profile.party.name_en,
        to_line=_to_line(),
        corrects=corrects,
    )
    source = corrects or previous
    if source is not None:
        # The standing header and the translations carry over from the last report.
        for name in ("marking_en", "marking_fr", "precedence", "from_line", "releasable"):
            setattr(sitrep, name, getattr(source, name))
    if corrects is not None:
        for name in ("general_situation", "general_situation_fr", "assessment", "assessment_fr"):
            setattr(sitrep, name, getattr(corrects, name))
    sitrep.save()
    sitrep.rfas.set(pictured_rfas(crisis))
    record(
        actor,
        "sitrep.draft",
        sitrep,
        crisis=crisis,
        to_state=Sitrep.Status.DRAFT,
        changes={"corrects": [None, str(corrects)]} if corrects else {},
    )
    return sitrep


def _lock_draft(actor: Any, sitrep: Sitrep, action: str) -> Sitrep:
    """The sitrep, locked, if the actor may take ``action`` on it now."""
    locked = Sitrep.objects.select_for_update().get(pk=sitrep.pk)
    require_sitrep_action(actor, locked, action)
    return locked


@transaction.atomic
def update_sitrep_text(actor: Any, sitrep: Sitrep, **fields: Any) -> Sitrep:
    """Edit the free text and header of a draft (see ``TEXT_FIELDS``)."""
    unknown = sorted(set(fields) - set(TEXT_FIELDS))
    if unknown:
        raise ValidationFailed(
            gettext("%(value)s cannot be edited on a sitrep") % {"value": unknown[0]},
            field=unknown[0],
        )
    for name, value in fields.items():
        if value is None:
            raise ValidationFailed(gettext("%(name)s cannot be null") % {"name": name}, field=name)
    locked = _lock_draft(actor, sitrep, "edit")
    if "precedence" in fields and fields["precedence"] not in Sitrep.Precedence.values:
        raise ValidationFailed(
            gettext("precedence must be one of %(value)s")
            % {"value": ", ".join(Sitrep.Precedence.values)},
            field="precedence",
        )
    for name in ("marking_en", "marking_fr", "from_line"):
        if name in fields and not str(fields[name]).strip():
            raise ValidationFailed(gettext("%(name)s cannot be empty") % {"name": name}, field=name)
    # The one text rule (no NUL, the column's documented length) for every channel
    # (API, page, admin): a megabyte of narrative took 15 s to render as a PDF.
    for name, value in fields.items():
        if isinstance(value, str):
            problem = text_problem(value, max_length_of(Sitrep, name))
            if problem:
                raise ValidationFailed(
                    gettext("%(name)s %(problem)s") % {"name": name, "problem": problem}, field=name
                )
    changes = {}
    for name, value in fields.items():
        old = getattr(locked, name)
        if old != value:
            changes[name] = [old, value]
            setattr(locked, name, value)
    if changes:
        locked.save(update_fields=list(changes))
        record(actor, "sitrep.edit", locked, crisis=locked.crisis, changes=changes)
    return locked


@transaction.atomic
def publish_sitrep(actor: Any, sitrep: Sitrep) -> Sitrep:
    """The head of centre approves: number, date-time group, frozen figures."""
    locked = _lock_draft(actor, sitrep, "publish")
    if not locked.general_situation.strip():
        raise ValidationFailed(
            gettext("write the general situation before publishing"), field="general_situation"
        )
    # The crisis row lock serialises publications of one crisis, so two approvals at the
    # same moment cannot take the same sequence number.
    Crisis.objects.select_for_update().filter(pk=locked.crisis_id).first()
    now = timezone.now()
    previous = previous_published(locked.crisis)
    last_sequence = previous.sequence if previous and previous.sequence else 0
    locked.sequence = last_sequence + 1
    locked.message_number = message_number(now.year, next_number("OPS", now.year))
    locked.published_at = now
    locked.approved_by = actor
    locked.snapshot = compute_figures(
        locked.crisis, since=previous.published_at if previous else None, until=now
    )
    locked.status = Sitrep.Status.PUBLISHED
    locked.save()
    record(
        actor,
        "sitrep.publish",
        locked,
        crisis=locked.crisis,
        from_state=Sitrep.Status.DRAFT,
        to_state=Sitrep.Status.PUBLISHED,
        changes={
            "message_number": [None, locked.message_number],
            "sequence": [None, locked.sequence],
        },
    )
    return locked
