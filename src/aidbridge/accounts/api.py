"""API: who am I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from aidbridge.accounts.permissions import profile_of

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    party: str
    role: str
    language: str


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    profile = profile_of(request.user)
    return MeOut(
        username=request.user.get_username(),
        party=profile.party.code,
        role=profile.role,
        language=profile.language,
    )
