"""Who may do what with webhook subscriptions (one rule for the API and the services).

A subscription belongs to the account that registered it, and only a machine account
(one without a password, see ``accounts``) registers one: events go to software, and
what it receives is what that account may see. Another account's subscription does not
exist for the caller (404)."""

from __future__ import annotations

from typing import Any

from aidbridge.accounts.permissions import profile_of
from aidbridge.core.errors import DomainError, NotAllowed, NotFound
from aidbridge.webhooks.models import Subscription


def create_refusal(actor: Any) -> DomainError | None:
    try:
        profile_of(actor)
    except NotAllowed as refused:
        return refused
    if actor.has_usable_password():
        return NotAllowed(
            "webhooks are registered by machine accounts (accounts without a password)"
        )
    return None


def require_create(actor: Any) -> None:
    refusal = create_refusal(actor)
    if refusal is not None:
        raise refusal


def require_own(actor: Any, subscription: Subscription) -> None:
    """Delete and rotate: the subscription's own account, while it exists."""
    if subscription.account_id != getattr(actor, "pk", None) or subscription.deleted_at:
        raise NotFound("no such webhook", field="webhook_id")
