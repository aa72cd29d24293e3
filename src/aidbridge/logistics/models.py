"""Movement of accepted aid: dispatches and confirmed receipts."""

from __future__ import annotations

from typing import Any

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
    # Copied when the dispatch is first saved, never changed after (an offer never changes
    # crisis, an offer line never changes request, a request never changes nation): the
    # offer's crisis and the requesting nation (none for standing stock sent without a
    # request). A nation's dispatches in a crisis, in date order, are then read from one
    # index instead of joining every offer line of the crisis (the deliveries it has to
    # confirm, on its dashboard).
    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.PROTECT, related_name="+", editable=False
    )
    requester = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="+", null=True, editable=False
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
        indexes = [
            models.Index(
                fields=["crisis", "requester", "dispatched_at", "id"], name="dispatch_to_nation"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="dispatch_qty"),
        ]

    def __str__(self) -> str:
        return f"Dispatch {self.pk} of {self.offer_line}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is None or self.crisis_id is None:
            self.crisis_id, self.requester_id = copied_from(self.offer_line_id)
        super().save(*args, **kwargs)


def copied_from(offer_line_id: int) -> tuple[int, int | None]:
    """What a dispatch of the offer line copies: its offer's crisis, and the nation of
    the request it answers (None for standing stock)."""
    from aidbridge.offers.models import OfferLine

    crisis, requester = (
        OfferLine.objects.filter(pk=offer_line_id)
        .values_list("offer__crisis_id", "request_line__rfa__requester_id")
        .get()
    )
    return crisis, requester


class Receipt(models.Model):
    """The requester's confirmation of what actually arrived (possibly less)."""

    dispatch = models.OneToOneField(Dispatch, on_delete=models.PROTECT, related_name="receipt")
    # The dispatch's crisis, copied when the receipt is first saved (a dispatch never
    # changes crisis): a crisis's receipts since a date ("deliveries this week" on every
    # dashboard) are then a range of one index, not a join through every dispatch.
    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.PROTECT, related_name="+", editable=False
    )
    quantity = models.PositiveIntegerField()
    received_at = models.DateTimeField()
    note = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["crisis", "received_at"], name="receipt_in_crisis"),
        ]

    def __str__(self) -> str:
        return f"Receipt of {self.dispatch}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is None or self.crisis_id is None:
            self.crisis_id = Dispatch.objects.values_list("crisis_id", flat=True).get(
                pk=self.dispatch_id
            )
        super().save(*args, **kwargs)
