"""Who may administer whose account: the role rule, once, for the API, admin and services.

See ``core.actions``. The centre manages users; within the centre, authority follows
``ROLE_ORDER``: no one creates (or, later, promotes to) a role above their own, and no
one deactivates someone whose role is above their own, so the duty officer can neither
mint a head of centre (who could then publish a sitrep without the head's approval) nor
remove one. National points of contact, airlift coordinators and observers manage no
accounts. ``actor=None`` is the operator at the server's command line (``aidbridge
createuser``), who must be able to create the first head of centre; superusers reach the
API only through a profile, so their role decides there like anyone's.

Whatever the actor, the last active head of centre is never deactivated: the centre
would be left without anyone to approve sitreps or appoint a new head.

API tokens follow the same authority: anyone issues their own; the centre issues them
for machine accounts (accounts without a password, which no one can sign in as) whose
role is not above the issuer's, and revokes the tokens of accounts it could deactivate.
What a token may do is its scope (``token_scope_refusal``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.models import ApiToken, Profile, Role, TokenScope
from aidbridge.accounts.permissions import centre_refusal, profile_of
from aidbridge.core.actions import Refusal, Rules, first, require
from aidbridge.core.errors import Conflict, NotAllowed

# Lowest first. A role may be granted or removed only by someone at or above it.
ROLE_ORDER: tuple[Role, ...] = (
    Role.OBSERVER,
    Role.NATIONAL_POC,
    Role.AIRLIFT_COORDINATOR,
    Role.CENTRE_OFFICER,
    Role.CENTRE_HEAD,
)
RANK = {role: rank for rank, role in enumerate(ROLE_ORDER)}


def _role_of(user: Any) -> str | None:
    try:
        return str(user.profile.role)
    except Profile.DoesNotExist:
        return None


def _authority_refusal(actor: Any, role: str | None, what: str) -> Refusal:
    """Refused unless the actor is the operator, or centre staff at or above ``role``."""
    if actor is None:
        return None
    profile = profile_of(actor)
    refusal = centre_refusal(profile, gettext_noop("manage users"))
    if refusal is not None:
        return refusal
    if role is None or (role in RANK and RANK[Role(role)] > RANK[Role(profile.role)]):
        mine = str(Role(profile.role).label).lower()
        theirs = str(Role(role).label).lower() if role in RANK else "user without a role"
        return NotAllowed(
            gettext("a %(mine)s cannot %(what)s a %(theirs)s")
            % {"mine": mine, "what": what, "theirs": theirs},
            field="role",
        )
    return None


def create_refusal(actor: Any, role: str) -> Refusal:
    """May the actor create an account with ``role``? (An unknown role is left to the
    service's validation, which names the choices.)"""
    if role not in RANK:
        return _authority_refusal(actor, Role.OBSERVER, "create")
    return _authority_refusal(actor, role, "create")


def require_create(actor: Any, role: str) -> None:
    refusal = create_refusal(actor, role)
    if refusal is not None:
        raise refusal


def user_rules(actor: Any, target: Any) -> Rules:
    """What the actor may do to the account ``target`` now (role first, then state)."""
    role = _role_of(target)

    def authority() -> Refusal:
        return _authority_refusal(actor, role, "deactivate")

    def not_self() -> Refusal:
        if actor is not None and actor.pk == target.pk:
            return Conflict(gettext("you cannot deactivate your own account"), field="username")
        return None

    def active() -> Refusal:
        if not target.is_active:
            return Conflict(
                gettext("%(username)s is already inactive") % {"username": target.username},
                field="username",
            )
        return None

    def not_last_head() -> Refusal:
        if role != Role.CENTRE_HEAD:
            return None
        others = (
            get_user_model()
            .objects.filter(is_active=True, profile__role=Role.CENTRE_HEAD)
            .exclude(pk=target.pk)
        )
        if others.exists():
            return None
        return Conflict(
            gettext("%(username)s is the last active head of centre: appoint another first")
            % {"username": target.username},
            field="username",
        )

    return {"deactivate": lambda: first(authority, not_self, active, not_last_head)}


def require_user_action(actor: Any, target: Any, action: str) -> None:
    require(user_rules(actor, target), action)


# The methods that only read; a read-only token may use nothing else.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token_scope_refusal(token: ApiToken, method: str) -> Refusal:
    """May ``token`` be used for a request with ``method``? The refusal names the scope."""
    if token.scope == TokenScope.READ_WRITE or method.upper() in SAFE_METHODS:
        return None
    return NotAllowed(
        gettext(
            "this token has scope '%(scope)s': %(value)s needs a token with scope '%(READ_WRITE)s'"
        )
        % {"scope": token.scope, "value": method.upper(), "READ_WRITE": TokenScope.READ_WRITE},
        field="scope",
        code="insufficient_scope",
    )


def token_issue_refusal(actor: Any, user: Any) -> Refusal:
    """May the actor issue a token for ``user``? Their own always; someone else's only
    as centre staff for a machine account at or below their role (a person's account
    would let the issuer act as that person)."""
    if actor is not None:
        profile_of(actor)
        if actor.pk == user.pk:
            return None
    refusal = _authority_refusal(actor, _role_of(user), "issue a token for")
    if refusal is not None:
        return refusal
    if actor is not None and user.has_usable_password():
        return NotAllowed(
            gettext(
                "%(username)s signs in with a password and obtains their own tokens; "
                "the centre issues tokens only for machine accounts (without a "
                "password)"
            )
            % {"username": user.username},
            field="username",
        )
    if not user.is_active:
        return Conflict(
            gettext("%(username)s is inactive") % {"username": user.username}, field="username"
        )
    return None


def token_rules(actor: Any, token: ApiToken) -> Rules:
    """What the actor may do to ``token``: revoke it if it is theirs, or if they could
    deactivate its account; once."""

    def authority() -> Refusal:
        if actor is not None and actor.pk == token.user_id:
            return None
        return _authority_refusal(actor, _role_of(token.user), "revoke a token of")

    def live() -> Refusal:
        if token.revoked_at is not None:
            return Conflict(gettext("this token is already revoked"), field="token")
        return None

    return {"revoke": lambda: first(authority, live)}
