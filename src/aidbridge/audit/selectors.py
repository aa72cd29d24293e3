"""Reading the audit trail."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from aidbridge.audit.models import AuditEntry


def history_of(target: models.Model) -> models.QuerySet[AuditEntry]:
    """Entries about one object, oldest first."""
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=target.pk,
    ).select_related("actor", "actor_party")
