"""Allocation runs: the planner's proposal for a crisis, and the data it came from.

A run keeps the exact input document it was computed from, so the proposal can be
re-checked against the spec's rules at any later time, whatever happened to the
requests and offers since.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AllocationRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.PROTECT, related_name="allocation_runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The spec's input and output documents (shared/specs/allocation.md).
    input = models.JSONField(null=True, blank=True)
    output = models.JSONField(null=True, blank=True)
    # The rows the input's ids stand for: {"needs": {id: RequestLine pk}, "supplies": {...}}.
    rows = models.JSONField(null=True, blank=True)
    # Whether check_allocation found the plan feasible on its input when it was made.
    check_ok = models.BooleanField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    plan_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["crisis", "-created_at"])]

    def __str__(self) -> str:
        return f"allocation run #{self.pk} ({self.crisis_id})"


class ProposedLine(models.Model):
    """One allocation of the plan: ``quantity`` of a standing offer line for a need."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="lines")
    supply = models.ForeignKey(
        "offers.OfferLine", on_delete=models.PROTECT, related_name="allocation_proposals"
    )
    need = models.ForeignKey(
        "requests.RequestLine", on_delete=models.PROTECT, related_name="allocation_proposals"
    )
    supply_ref = models.CharField(max_length=40)
    need_ref = models.CharField(max_length=40)
    quantity = models.PositiveIntegerField()
    explanation = models.TextField(blank=True)
    # The proposed offer line made from it by the centre, once it was turned into one.
    offer_line = models.OneToOneField(
        "offers.OfferLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocation_source",
    )

    class Meta:
        ordering = ["run_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="proposed_line_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.supply_ref} -> {self.need_ref}: {self.quantity}"
