"""Managing users and their API tokens.

The centre manages users, within the role rule of ``accounts.actions``. ``actor=None``
stands for the operator at the server's command line (``aidbridge createuser``), who
must be able to create the first centre account; the API always passes the signed-in
user, so it can never act as None.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from aidbridge.accounts.actions import (
    require_create,
    require_user_action,
    token_issue_refusal,
    token_rules,
)
from aidbridge.accounts.models import (
    CENTRE_ROLES,
    DEFAULT_TOKEN_DAYS,
    MAX_TOKEN_DAYS,
    ApiToken,
    MatchDelivery,
    Profile,
    Role,
    TokenScope,
)
from aidbridge.accounts.permissions import profile_of
from aidbridge.accounts.tokens import hash_token, new_raw_token
from aidbridge.audit.services import record
from aidbridge.core.actions import require
from aidbridge.core.errors import Conflict, NotAllowed, ValidationFailed
from aidbridge.parties.models import Party

LANGUAGES = {code for code, _ in settings.LANGUAGES}


def _party(party: Party | str) -> Party:
    if isinstance(party, Party):
        return party
    found = Party.objects.filter(code__iexact=str(party).strip()).first()
    if found is None:
        raise ValidationFailed(
            gettext("unknown party %(party)s") % {"party": repr(party)}, field="party"
        )
    return found


def _check_role_fits_party(role: str, party: Party) -> None:
    if role not in Role.values:
        raise ValidationFailed(
            gettext("unknown role %(role)s; choose from: %(value)s")
            % {"role": repr(role), "value": ", ".join(Role.values)},
            field="role",
        )
    if not party.active:
        raise ValidationFailed(
            gettext("%(code)s is inactive") % {"code": party.code}, field="party"
        )
    if role in CENTRE_ROLES and party.kind != Party.Kind.CENTRE:
        raise ValidationFailed(
            gettext("centre staff belong to the coordination centre"), field="party"
        )
    if role == Role.NATIONAL_POC and party.kind == Party.Kind.CENTRE:
        raise ValidationFailed(
            gettext("a point of contact represents a nation or an organisation"), field="party"
        )


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValidationFailed(
            gettext("unknown language %(language)s; choose from: %(value)s")
            % {"language": repr(language), "value": ", ".join(sorted(LANGUAGES))},
            field="language",
        )
    return language


@transaction.atomic
def create_user(
    actor: Any,
    *,
    username: str,
    email: str,
    party: Party | str,
    role: str,
    password: str | None = None,
    language: str = "en",
    first_name: str = "",
    last_name: str = "",
) -> Any:
    """Create a user with their place (party, role). Without a password they cannot sign
    in with one (token-only machine accounts, or a password set later)."""
    require_create(actor, role)
    username = (username or "").strip()
    User = get_user_model()
    if not username or len(username) > 150:
        raise ValidationFailed(gettext("username must be 1-150 characters"), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(
            gettext("the username %(username)s is taken") % {"username": repr(username)},
            field="username",
        )
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationFailed(
                gettext("%(email)s is not an e-mail address") % {"email": repr(email)},
                field="email",
            ) from None
    the_party = _party(party)
    _check_role_fits_party(role, the_party)
    _check_language(language)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    # Centre staff may open the admin (which admits centre roles only, see admin_base).
    user.is_staff = role in CENTRE_ROLES
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from None
        user.set_password(password)
    user.save()
    Profile.objects.create(user=user, party=the_party, role=role, language=language)
    record(
        actor,
        "user.create",
        user,
        to_state="active",
        changes={"party": [None, the_party.code], "role": [None, role]},
    )
    return user


@transaction.atomic
def deactivate_user(actor: Any, user: Any, reason: str = "") -> Any:
    """An inactive user can no longer sign in or use tokens; their history stays."""
    User = get_user_model()
    # Lock the active heads first, so two heads deactivating each other at once cannot
    # both see the other as the one who stays.
    list(User.objects.select_for_update().filter(is_active=True, profile__role=Role.CENTRE_HEAD))
    user = User.objects.select_for_update().get(pk=user.pk)
    require_user_action(actor, user, "deactivate")
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(actor, "user.deactivate", user, from_state="active", to_state="inactive", reason=reason)
    return user


@transaction.atomic
def set_language(actor: Any, language: str) -> Profile:
    """The actor's own language for pages, e-mails and sitreps."""
    profile = profile_of(actor)
    profile.language = _check_language(language)
    profile.save(update_fields=["language"])
    return profile


@transaction.atomic
def set_match_delivery(actor: Any, delivery: str) -> Profile:
    """The actor's own choice: match notifications at once or in a daily digest."""
    profile = profile_of(actor)
    if delivery not in MatchDelivery.values:
        raise ValidationFailed(
            gettext("unknown delivery %(delivery)s; choose from: %(value)s")
            % {"delivery": repr(delivery), "value": ", ".join(MatchDelivery.values)},
            field="match_delivery",
        )
    profile.match_delivery = delivery
    profile.save(update_fields=["match_delivery"])
    return profile


@transaction.atomic
def issue_api_token(
    actor: Any,
    user: Any,
    name: str,
    *,
    scope: str = TokenScope.READ,
    expires_in_days: int = DEFAULT_TOKEN_DAYS,
    via: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` (the actor's own, or a machine account's; see
    ``accounts.actions``). The raw token is returned once, never stored.

    ``via`` is the token the request came with, if any: a token cannot mint one that
    does more or lives longer than itself, or a leaked token would renew itself forever.
    """
    refusal = token_issue_refusal(actor, user)
    if refusal is not None:
        raise refusal
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(gettext("a token needs a name of 1-100 characters"), field="name")
    if scope not in TokenScope.values:
        raise ValidationFailed(
            gettext("unknown scope %(scope)s; choose from: %(value)s")
            % {"scope": repr(scope), "value": ", ".join(TokenScope.values)},
            field="scope",
        )
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(
            gettext("a token lives 1-%(MAX_TOKEN_DAYS)s days") % {"MAX_TOKEN_DAYS": MAX_TOKEN_DAYS},
            field="expires_in_days",
        )
    expires_at = timezone.now() + timedelta(days=expires_in_days)
    if via is not None:
        if via.scope == TokenScope.READ and scope != TokenScope.READ:
            raise NotAllowed(
                gettext("a token with scope 'read' cannot issue one with more"), field="scope"
            )
        expires_at = min(expires_at, via.expires_at)
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        key_hash=hash_token(raw),
        scope=scope,
        expires_at=expires_at,
        issued_by=actor,
    )
    record(
        actor,
        "api_token.issue",
        token,
        changes={
            "user": [None, user.username],
            "scope": [None, scope],
            "expires_at": [None, expires_at.isoformat()],
        },
    )
    return token, raw


@transaction.atomic
def revoke_api_token(actor: Any, token: ApiToken) -> ApiToken:
    """Revoke ``token`` (see ``accounts.actions.token_rules``); the row stays."""
    # Only the token's row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to the profile (found by the API fuzzing test).
    token = (
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("user__profile")
        .get(pk=token.pk)
    )
    require(token_rules(actor, token), "revoke")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "api_token.revoke", token, from_state="live", to_state="revoked")
    return token
