"""Webhook subscriptions in the admin, read-only for centre staff (secrets not shown)."""

from __future__ import annotations

from django.contrib import admin

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.webhooks.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(CentreAdmin[Subscription]):
    list_display = ("id", "account", "url", "created_at", "deleted_at")
    exclude = ("secret", "previous_secret")
