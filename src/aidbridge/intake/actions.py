"""Who may read a pasted message into a proposed request. The rule, once, for the
page, the API and the service (see ``core.actions``). Confirming the proposal drafts a
request, which is ``requests.actions.create_refusal``'s rule, not this one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import centre_refusal, poc_refusal, profile_of
from aidbridge.core.actions import Refusal
from aidbridge.core.errors import Conflict, NotAllowed
from aidbridge.crises.models import Crisis


def read_refusal(actor: Any, crisis: Crisis) -> Refusal:
    """The centre reads any nation's message (its duty officer retypes them today); a
    national POC reads messages for their own nation's drafts. Others only read what
    is circulated, so they have nothing to draft from a message."""
    profile = profile_of(actor)
    if centre_refusal(profile, gettext_noop("read a message")) is not None and (
        poc_refusal(profile, gettext_noop("read a message")) is not None
    ):
        return NotAllowed(
            gettext(
                "only the centre or a national point of contact may read a message into a request"
            )
        )
    if crisis.status != Crisis.Status.ACTIVE:
        return Conflict(
            gettext("crisis %(code)s is closed") % {"code": crisis.code}, field="crisis"
        )
    return None
