"""The very first centre account, and the actor that seeds and command lines act as.

Everything in aidbridge is done by someone through the services, which check roles and
write the audit trail. On an empty database nobody exists yet, so the centre's party
and its first (super)user are the one thing created directly; after that, every user,
party, request and offer goes through a service with a real actor.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext

from aidbridge.accounts.models import Profile, Role
from aidbridge.core.errors import NotFound
from aidbridge.parties.models import Party
from aidbridge.parties.seed import CENTRE_CODE

CENTRE_NAMES = {
    "name_en": "Euro-Atlantic Disaster Response Coordination Centre",
    "name_fr": "Centre euro-atlantique de coordination des réactions en cas de catastrophe",
}


def centre_actors() -> Any:
    """Active centre staff who may act for the system, superusers first."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role__in=[Role.CENTRE_HEAD, Role.CENTRE_OFFICER])
        .select_related("profile__party")
        .order_by("-is_superuser", "-profile__role", "pk")
    )


def ensure_centre_party() -> Party:
    """The coordination centre's party; the first one is created directly."""
    centre, _ = Party.objects.get_or_create(
        code=CENTRE_CODE, defaults={"kind": Party.Kind.CENTRE, **CENTRE_NAMES}
    )
    return centre


@transaction.atomic
def bootstrap_centre(
    username: str = "admin", *, email: str = "", password: str | None = None
) -> Any:
    """The first centre superuser (head of centre), created with the ORM if missing.

    Returns the existing user unchanged when it is already there; never touches a
    password that was set before.
    """
    centre = ensure_centre_party()
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_superuser(username=username, email=email, password=None)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    if not Profile.objects.filter(user=user).exists():
        Profile.objects.create(user=user, party=centre, role=Role.CENTRE_HEAD)
    return user


def system_actor(username: str | None = None) -> Any:
    """The centre user a command acts as: ``username`` if given, else the first one."""
    actors = centre_actors()
    if username:
        actor = actors.filter(username=username).first()
        if actor is None:
            raise NotFound(
                gettext("no active centre user %(username)s") % {"username": repr(username)},
                field="actor",
            )
        return actor
    actor = actors.first()
    if actor is None:
        raise NotFound(
            gettext(
                "no centre user exists yet: create the first with `aidbridge "
                "createuser NAME --party %(CENTRE_CODE)s --role %(CENTRE_HEAD)s`"
            )
            % {"CENTRE_CODE": CENTRE_CODE, "CENTRE_HEAD": Role.CENTRE_HEAD},
            field="actor",
        )
    return actor
