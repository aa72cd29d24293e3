"""Movement of accepted aid: dispatches and confirmed receipts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dispatch(models.Model):
    class Mode(models.TextChoices):
        DONOR = "donor", _("Donor's own transport")
        COMMERCIAL = "commercial", _("Commercial")
        AIRLIFT = "airlift", _("Airlift")
        ROAD = "road", _("Road")
        SEA = "sea", _("Sea")

    offer_line = models.ForeignKey(
        "offers.OfferLine", on_delete=models.PROTECT, related_name="dispatches"
    )
    quantity = models.PositiveIntegerField()
    mode = models.CharField(max_length=12, choices=Mode.choices)
    dispatched_at = models.DateTimeField()
    expected_at = models.DateTimeField(null=True, blank=True)
    transport_reference = models.CharField(max_length=60, blank=True)
    # Who moves it (airline, forwarder, air force): the reference alone does not say.
    carrier = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dispatched_at", "id"]
        verbose_name_plural = "dispatches"
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="dispatch_qty"),
        ]

    def __str__(self) -> str:
        return f"Dispatch {self.pk} of {self.offer_line}"


class Receipt(models.Model):
    """The requester's confirmation of what actually arrived (possibly less)."""

    dispatch = models.OneToOneField(Dispatch, on_delete=models.PROTECT, related_name="receipt")
    quantity = models.PositiveIntegerField()
    received_at = models.DateTimeField()
    note = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"Receipt of {self.dispatch}"
