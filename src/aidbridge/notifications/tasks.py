"""Background tasks of the notifications: the daily digest of match notifications."""

from __future__ import annotations

from django_tasks import task

from aidbridge.notifications.matching import send_digests


@task()
def send_match_digests() -> int:
    """Send each user's held match notifications as one; enqueue it once a day."""
    return send_digests()
