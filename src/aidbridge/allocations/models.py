"""Allocation runs: the planner's proposal for a crisis, and the data it came from.

A run keeps the exact input document it was computed from, so the proposal can be
re-checked against the spec's rules at any later time, whatever happened to the
requests and offers since.
"""

from __future__ import annotations

from django.db import models

from aidbridge.runs.models import PlanningRun


class AllocationRun(PlanningRun):
    """The lifecycle, times, input and output are :class:`PlanningRun`'s; here what an
    allocation adds: the rows behind the input's ids, the check, the timings."""

    audit_name = "allocation_run"

    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.PROTECT, related_name="allocation_runs"
    )
    # The rows the input's ids stand for: {"needs": {id: RequestLine pk}, "supplies": {...}}.
    rows = models.JSONField(null=True, blank=True)
    # Whether check_allocation found the plan feasible on its input when it was made.
    check_ok = models.BooleanField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    plan_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["crisis", "-requested_at"])]

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
