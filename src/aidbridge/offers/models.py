"""Offers of assistance, against request lines or unsolicited (standing stock)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aidbridge.core.references import STORED_REFERENCE_LENGTH


class Offer(models.Model):
    # No index of its own: the two below start with it (a third would only cost writes).
    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.PROTECT, related_name="offers", db_index=False
    )
    donor = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="offers")
    # None for an unsolicited (standing) offer made to the crisis as a whole.
    rfa = models.ForeignKey(
        "requests.RequestForAssistance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    reference = models.CharField(max_length=STORED_REFERENCE_LENGTH, unique=True)
    available_from = models.DateField(null=True, blank=True)
    origin_airport = models.CharField(max_length=4, blank=True)
    origin_place = models.CharField(max_length=200, blank=True)
    origin_lat = models.FloatField(null=True, blank=True)
    origin_lon = models.FloatField(null=True, blank=True)
    own_transport = models.BooleanField(default=False)
    conditions = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A donor's offers in a crisis, oldest first (its worklist stops at a page).
            models.Index(
                fields=["crisis", "donor", "created_at", "id"], name="offer_donor_created"
            ),
            # A crisis's list in its default order, by page or by cursor (api.keyset);
            # with ``donor`` and ``rfa``, what ``offer_visibility`` reads, so that the list
            # is counted from the index alone. One index for both: with a second one on
            # (crisis, donor, rfa), SQLite read pages through it and sorted the crisis.
            models.Index(
                fields=["crisis", "created_at", "id", "donor", "rfa"], name="offer_list_order"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_unsolicited(self) -> bool:
        return self.rfa_id is None


class OfferLine(models.Model):
    class Status(models.TextChoices):
        # Drawn from standing stock by the centre; the donor confirms before the
        # requester may decide on it (see offers.proposals).
        PROPOSED = "proposed", _("Proposed, awaiting the donor's confirmation")
        OPEN = "open", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lines")
    # None on an unsolicited offer's lines.
    request_line = models.ForeignKey(
        "requests.RequestLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offer_lines",
    )
    # A line made from a standing offer (e.g. by the allocation planner) says which.
    drawn_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="drawn_lines"
    )
    item = models.ForeignKey("catalogue.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    accepted = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decline_reason = models.TextField(blank=True)
    # Set when the requester deliberately accepted beyond the line's outstanding need.
    over_acceptance_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["offer_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="offer_line_qty"),
            models.CheckConstraint(
                condition=models.Q(accepted__lte=models.F("quantity") - models.F("declined")),
                name="offer_line_decided_within_offered",
            ),
        ]
        indexes = [
            models.Index(fields=["request_line", "status"]),
            # The few lines awaiting their donor's confirmation (the donor's worklist).
            models.Index(
                fields=["offer"],
                condition=models.Q(status="proposed"),
                name="offer_line_proposed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer}/{self.pk}"

    @property
    def pending(self) -> int:
        """Offered quantity still awaiting the requester's decision (none while the donor
        has not confirmed a proposal)."""
        if self.status in (self.Status.WITHDRAWN, self.Status.PROPOSED):
            return 0
        return self.quantity - self.accepted - self.declined
