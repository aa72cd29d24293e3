"""Reading requests for assistance: who sees which, lists, detail, history.

This module is THE definition of who may see a request; every other entity's visibility
(offers, dispatches, audit entries, notifications) and every read channel (API, pages,
exports, picture, matrix, sitreps, admin) derives from it:

- a request is **in the picture** once it has been circulated (``circulated_at`` set),
  whatever happened later; the picture, matrix, exports and sitreps show only those;
- its requesting nation sees it always (a nation's drafts are its own);
- the centre sees it once it has been submitted (so a returned request stays visible to
  the centre that returned it, and a draft withdrawn before submission never is);
- every other signed-in role sees it once it is in the picture; the public never sees a
  request except through a released sitrep.

The timestamps say it, not the status: a request closed or withdrawn before circulation
stays as private as it was.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext

from aidbridge.accounts.models import CENTRE_ROLES
from aidbridge.accounts.permissions import profile_of
from aidbridge.api.ordering import apply_ordering
from aidbridge.audit.models import AuditEntry
from aidbridge.catalogue.models import Item
from aidbridge.core.errors import NotFound, ValidationFailed
from aidbridge.crises.models import Crisis
from aidbridge.requests.models import RequestForAssistance, RequestLine, in_picture

RFA = RequestForAssistance
ORDERING = {
    "created": "created_at",
    "updated": "updated_at",
    "submitted": "submitted_at",
    "circulated": "circulated_at",
    "reference": "reference",
    "title": "title",
    "status": "status",
    "requester": "requester__code",
    "priority": "top_priority",
    "needed_by": "first_needed_by",
}
DEFAULT_ORDERING = "-created"
LINE_ORDERING = {"priority", "needed_by"}  # read from the lines: see with_line_order


def visibility(actor: Any, path: str = "") -> Q:
    """The requests ``actor`` may see (see the module docstring); ``path`` as above.

    Raises NotAllowed for an anonymous or role-less user: they see no request.
    """
    profile = profile_of(actor)
    seen = in_picture(path) | Q(**{f"{path}requester_id": profile.party_id})
    if profile.is_centre:
        seen |= Q(**{f"{path}submitted_at__isnull": False})
    return seen


def viewers(rfa: RFA) -> Q:
    """The users who may see ``rfa``: the same rule as :func:`visibility`, read from the
    request's side (for choosing whom to notify)."""
    with_role = Q(is_active=True, profile__isnull=False)
    if rfa.circulated_at is not None:
        return with_role
    seen = Q(profile__party_id=rfa.requester_id)
    if rfa.submitted_at is not None:
        seen |= Q(profile__role__in=CENTRE_ROLES)
    return with_role & seen


def rfas_visible_to(actor: Any) -> QuerySet[RFA]:
    return RFA.objects.filter(visibility(actor))


def lines_visible_to(actor: Any) -> QuerySet[RequestLine]:
    """Request lines follow their request."""
    return RequestLine.objects.filter(visibility(actor, "rfa__"))


def removed_lines_visibility(actor: Any) -> Q:
    """The audit entries about request lines since removed: seen by whoever sees the
    request (the line row is gone; the RFA's ``rfa.line_remove`` entry keeps its id, see
    ``requests.services._write_lines``). Registered in ``audit.visibility``."""
    removed = (
        AuditEntry.objects.filter(
            action="rfa.line_remove",
            target_type=ContentType.objects.get_for_model(RequestForAssistance),
            target_id__in=rfas_visible_to(actor).values("pk"),
        )
        .annotate(line_id=Cast(KT("changes__line_id__0"), BigIntegerField()))
        .values("line_id")
    )
    return Q(target_type=ContentType.objects.get_for_model(RequestLine), target_id__in=removed)


def pictured_rfas() -> QuerySet[RFA]:
    return RFA.objects.filter(in_picture())


def rfa_list(
    actor: Any,
    *,
    crisis: str | None = None,
    party: str | None = None,
    status: str | None = None,
    item: str | None = None,
    priority: int | None = None,
    search: str | None = None,
    ordering: str | None = None,
) -> QuerySet[RFA]:
    """The RFAs the actor may see, filtered (codes for crisis, party and item), ordered.

    Line-level filters (item, priority) use EXISTS so an RFA with two matching lines
    appears once; what a row shows of its lines is read for the page's rows only, so a
    page costs the same few queries whatever the size of the list.
    """
    rfas = rfas_visible_to(actor)
    if crisis:
        # The crisis's id as a constant for the planner (not a join it may start from),
        # so that a page is read through (crisis, created_at) in order and stops early.
        crisis_id = Crisis.objects.filter(code__iexact=crisis).values("pk")[:1]
        rfas = rfas.filter(crisis_id=Subquery(crisis_id))
    if party:
        rfas = rfas.filter(requester__code__iexact=party)
    if status:
        if status not in RFA.Status.values:
            raise ValidationFailed(
                gettext("unknown status %(status)s; choose from: %(value)s")
                % {"status": repr(status), "value": ", ".join(RFA.Status.values)},
                field="status",
            )
        rfas = rfas.filter(status=status)
    lines = RequestLine.objects.filter(rfa=OuterRef("pk"))
    if item:
        items = Item.objects.filter(code__iexact=item).values("pk")
        rfas = rfas.filter(Exists(lines.filter(item_id__in=items)))
    if priority is not None:
        if priority not in (1, 2, 3):
            raise ValidationFailed(gettext("priority is 1, 2 or 3"), field="priority")
        rfas = rfas.filter(Exists(lines.filter(priority=priority)))
    if search and search.strip():
        text = search.strip()
        rfas = rfas.filter(
            Q(title__icontains=text)
            | Q(reference__icontains=text)
            | Q(situation__icontains=text)
            | Exists(lines.filter(item__name_en__icontains=text))
            | Exists(lines.filter(item__name_fr__icontains=text))
            | Exists(lines.filter(item__code__icontains=text))
        )
    if {term.strip().lstrip("-") for term in (ordering or "").split(",")} & LINE_ORDERING:
        rfas = with_line_order(rfas)
    return apply_ordering(with_line_summary(rfas), ordering, ORDERING, DEFAULT_ORDERING)


def with_line_summary(rfas: QuerySet[RFA]) -> QuerySet[RFA]:
    """Each RFA with what a list row shows of its lines (``summary_lines``: their
    priority and date, read by ``line_summary``), in one query for the rows of the page
    only: summing every line of every visible RFA before sorting them (as annotations
    do on SQLite) costs a page as much as the whole list."""
    return rfas.select_related("crisis", "requester", "created_by", "repeat_of").prefetch_related(
        Prefetch(
            "lines",
            queryset=RequestLine.objects.only("pk", "rfa_id", "priority", "needed_by"),
            to_attr="summary_lines",
        )
    )


def with_line_order(rfas: QuerySet[RFA]) -> QuerySet[RFA]:
    """What ordering by priority or date needs (``top_priority``, ``first_needed_by``):
    per RFA, so sorting by them reads every listed RFA's lines."""
    per_rfa = RequestLine.objects.filter(rfa=OuterRef("pk")).order_by().values("rfa")
    return rfas.alias(
        top_priority=Subquery(per_rfa.annotate(p=Min("priority")).values("p")),
        first_needed_by=Subquery(per_rfa.annotate(d=Min("needed_by")).values("d")),
    )


def line_summary(rfa: RFA, lines: list[RequestLine] | None = None) -> dict[str, Any]:
    """A list row's ``line_count``, ``top_priority`` and ``first_needed_by``, from
    ``lines`` or the RFA's ``summary_lines`` (``with_line_summary``)."""
    if lines is None:
        lines = rfa.summary_lines  # type: ignore[attr-defined]
    dates = [line.needed_by for line in lines if line.needed_by]
    return {
        "line_count": len(lines),
        "top_priority": min((line.priority for line in lines), default=None),
        "first_needed_by": min(dates, default=None),
    }


def get_rfa(actor: Any, rfa_id: int) -> RFA:
    """The RFA if the actor may see it; otherwise it does not exist for them."""
    rfa = (
        rfas_visible_to(actor)
        .select_related("crisis", "requester", "created_by", "repeat_of", "merged_into")
        .filter(pk=rfa_id)
        .first()
    )
    if rfa is None:
        raise NotFound(
            gettext("no request for assistance #%(rfa_id)s") % {"rfa_id": rfa_id}, field="id"
        )
    return rfa


def rfa_for_input(actor: Any, rfa_id: int | None, field: str) -> RFA | None:
    """An RFA named in a request body (e.g. ``repeat_of``): unknown is a 422 on ``field``."""
    if rfa_id is None:
        return None
    rfa = rfas_visible_to(actor).filter(pk=rfa_id).first()
    if rfa is None:
        raise ValidationFailed(
            gettext("no request for assistance #%(rfa_id)s") % {"rfa_id": rfa_id}, field=field
        )
    return rfa


def lines_of(rfa: RFA) -> QuerySet[RequestLine]:
    return rfa.lines.select_related("item").order_by("position")


def repeats_of(actor: Any, rfa: RFA) -> QuerySet[RFA]:
    """Later requests that repeat (or escalate) this one, as far as the actor sees."""
    return rfas_visible_to(actor).filter(repeat_of=rfa).order_by("created_at", "pk")


def escalations_of(rfa: RFA) -> QuerySet[RFA]:
    """Later requests merged into this one as escalations, oldest merge first. Named to
    whoever sees this request, also where they may not open them: their lines are this
    request's now (the references are what the history and the sitreps cite)."""
    return RFA.objects.filter(merged_into=rfa).order_by("closed_at", "pk")
