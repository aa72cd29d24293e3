"""Reading users and tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.models import ApiToken
from aidbridge.accounts.permissions import profile_of, require_centre
from aidbridge.core.errors import NotFound


def users_visible_to(actor: Any) -> QuerySet[Any]:
    """The centre sees every user; anyone else sees the people of their own party."""
    profile = profile_of(actor)
    users = (
        get_user_model()
        .objects.filter(profile__isnull=False)
        .select_related("profile", "profile__party")
    )
    if not profile.is_centre:
        users = users.filter(profile__party=profile.party_id)
    return users


def user_list(
    actor: Any,
    *,
    party: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    search: str | None = None,
) -> QuerySet[Any]:
    users = users_visible_to(actor)
    if party:
        users = users.filter(profile__party__code__iexact=party)
    if role:
        users = users.filter(profile__role=role)
    if active is not None:
        users = users.filter(is_active=active)
    if search and search.strip():
        text = search.strip()
        users = users.filter(
            Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    return users


def user_by_username(actor: Any, username: str) -> Any:
    user = users_visible_to(actor).filter(username=username).first()
    if user is None:
        raise NotFound(
            gettext("no user %(username)s") % {"username": repr(username)}, field="username"
        )
    return user


def tokens_of(actor: Any) -> QuerySet[ApiToken]:
    profile_of(actor)
    return (
        ApiToken.objects.filter(user=actor)
        .select_related("user", "issued_by")
        .order_by("-created_at", "-id")
    )


def tokens_of_user(actor: Any, user: Any) -> QuerySet[ApiToken]:
    """``user``'s tokens: for themself, or for the centre (which manages accounts)."""
    if actor.pk != user.pk:
        require_centre(actor, gettext_noop("see other users' tokens"))
    return (
        ApiToken.objects.filter(user=user)
        .select_related("user", "issued_by")
        .order_by("-created_at", "-id")
    )


def own_token(actor: Any, token_id: int) -> ApiToken:
    token = tokens_of(actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound(gettext("no such token"), field="id")
    return token
