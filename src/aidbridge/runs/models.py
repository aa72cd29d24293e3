"""What every planning run has, whatever it plans (allocation, airlift, ...).

A run is asked for by a user, queued as a background task, taken by a worker that
writes a heartbeat while it solves, and ends done, failed or cancelled. The fields
that follow that lifecycle live here once; each app's concrete run adds what its
planner needs. Status changes only through :mod:`aidbridge.runs.lifecycle`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    # "done" rather than "succeeded": the value the API has always given.
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class PlanningRun(models.Model):
    """The lifecycle half of a planning run (abstract: each app has its own table)."""

    Status = RunStatus

    # The audit trail's name for the run ("allocation_run.done", "airlift_plan.failed").
    audit_name: ClassVar[str] = "run"

    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker while it plans; the sweep fails a running run whose
    # heartbeat is older than AIDBRIDGE_RUN_TIMEOUT_S (its worker died).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # What the worker is doing ("building the input", "solving", ...), for the page.
    phase = models.CharField(max_length=60, blank=True)
    # How many times a worker took the run (more than one after a restart).
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    # The planner's input and output documents (docs: the planners' specs), kept so
    # anyone can re-check the plan against its input later.
    input = models.JSONField(null=True, blank=True)
    output = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True

    def audit_crisis(self) -> Any:
        """The crisis the run's audit entries belong to (every run so far has one)."""
        return getattr(self, "crisis", None)
