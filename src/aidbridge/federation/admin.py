"""Partner centres in the admin, read-only for centre staff (keys not shown); they are
declared with ``aidbridge federation partner`` (audited, ``services``)."""

from __future__ import annotations

from django.contrib import admin

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.federation.models import InboundMessage, Mirror, Partner


@admin.register(Partner)
class PartnerAdmin(CentreAdmin[Partner]):
    list_display = ("code", "name", "base_url", "direction", "active")


@admin.register(Mirror)
class MirrorAdmin(CentreAdmin[Mirror]):
    list_display = ("rfa", "partner", "origin_reference", "version", "updated_at")


@admin.register(InboundMessage)
class InboundMessageAdmin(CentreAdmin[InboundMessage]):
    list_display = ("message_id", "partner", "kind", "received_at", "outcome")
