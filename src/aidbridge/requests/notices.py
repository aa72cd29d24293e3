"""Who is told what when an RFA moves, in each recipient's own language.

Nobody is told about a request they may not see (``requests.selectors.viewers``): a
draft withdrawn before submission is announced to nobody outside its nation.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import translation
from django.utils.translation import gettext as _

from aidbridge.accounts.models import Role
from aidbridge.notifications.services import centre_staff, notify, pocs_of
from aidbridge.requests.models import RequestForAssistance
from aidbridge.requests.selectors import viewers, visibility

LINK_PREFIX = "/api/v1/rfas/"


def link(rfa: RequestForAssistance) -> str:
    return f"{LINK_PREFIX}{rfa.pk}"


def hidden_links(actor: Any) -> QuerySet[Any]:
    """The links of the requests ``actor`` may not see: the centre's view of who was told
    what leaves out notifications about them (``notifications.selectors``)."""
    return (
        RequestForAssistance.objects.exclude(visibility(actor))
        .annotate(path=Concat(Value(LINK_PREFIX), Cast("pk", CharField())))
        .values("path")
    )


def _label(rfa: RequestForAssistance) -> str:
    """The reference once the centre gave one (on circulation); before, the title and
    the nation say which request it is (a submitted request is no draft)."""
    if rfa.reference:
        return f"{rfa.reference} ({rfa.requester.code}): {rfa.title}"
    return f"{rfa.title} ({rfa.requester.code})"


def _send(actor: Any, rfa: RequestForAssistance, recipients: QuerySet[Any], kind: str) -> None:
    """One notify() per language, so subjects and bodies are written in the reader's."""
    by_language: dict[str, list[Any]] = defaultdict(list)
    for user in recipients.filter(viewers(rfa)).select_related("profile"):
        by_language[getattr(getattr(user, "profile", None), "language", "en")].append(user)
    for language, users in by_language.items():
        with translation.override(language):
            subject, body = _texts(rfa, kind)
            notify(
                users,
                kind=f"rfa.{kind}",
                subject=subject[:200],
                body=body,
                link=link(rfa),
                crisis=rfa.crisis,
                exclude=actor,
            )


def _texts(rfa: RequestForAssistance, kind: str) -> tuple[str, str]:
    label = _label(rfa)
    if kind == "submitted":
        return _("Request submitted: %s") % label, _(
            "%(party)s submitted a request for assistance for checking and circulation."
        ) % {"party": rfa.requester.code}
    if kind == "circulated":
        return _("Request for assistance %s") % label, _(
            "The centre circulated %(ref)s from %(party)s. Offers can now be made "
            "against its lines."
        ) % {"ref": rfa.reference, "party": rfa.requester.code}
    if kind == "returned":
        return _("Request returned: %s") % label, _(
            "The centre returned your request. Reason: %s"
        ) % rfa.status_reason
    if kind == "escalated":
        return _("Request escalated: %s") % label, _(
            "%(party)s asked for more: the centre merged a later request into %(ref)s as "
            "an escalation (quantities raised, dates brought forward, lines added). "
            "Offers already made stay as they are."
        ) % {"party": rfa.requester.code, "ref": rfa.reference}
    return _("Request closed: %s") % label, _("Closed (%(closure)s). %(reason)s") % {
        "closure": rfa.get_closure_display(),
        "reason": rfa.status_reason,
    }


def _with_profile(users: Any) -> Any:
    return users.select_related("profile")


def submitted(actor: Any, rfa: RequestForAssistance) -> None:
    _send(actor, rfa, _with_profile(centre_staff()), "submitted")


def circulated(actor: Any, rfa: RequestForAssistance) -> None:
    """Every national POC and observer; airlift coordinators when transport is asked."""
    roles = [Role.NATIONAL_POC, Role.OBSERVER]
    if rfa.lines.filter(transport_needed=True).exists():
        roles.append(Role.AIRLIFT_COORDINATOR)
    users = get_user_model().objects.filter(is_active=True, profile__role__in=roles)
    _send(actor, rfa, _with_profile(users), "circulated")


def returned(actor: Any, rfa: RequestForAssistance) -> None:
    _send(actor, rfa, _with_profile(pocs_of(rfa.requester)), "returned")


def closed(actor: Any, rfa: RequestForAssistance) -> None:
    """The centre, the requester, and every nation that offered against the request."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(pk__in=centre_staff().values("pk"))
            | Q(pk__in=pocs_of(rfa.requester).values("pk"))
            | Q(
                profile__role=Role.NATIONAL_POC,
                profile__party__in=rfa.offers.values("donor"),
            )
        )
    )
    _send(actor, rfa, _with_profile(users), "closed")


def escalated(actor: Any, rfa: RequestForAssistance) -> None:
    """Whoever was told of the circulation of ``rfa`` hears that it grew (a later
    request was merged into it): they may offer against the increases."""
    roles = [Role.NATIONAL_POC, Role.OBSERVER]
    if rfa.lines.filter(transport_needed=True).exists():
        roles.append(Role.AIRLIFT_COORDINATOR)
    users = get_user_model().objects.filter(is_active=True, profile__role__in=roles)
    _send(actor, rfa, _with_profile(users), "escalated")
