"""Requests for assistance (RFAs) and their lines.

Quantities that follow a line (accepted, dispatched, delivered) are not stored here:
they are sums over offers and deliveries, computed by ``requests.selectors``, so there
is one source of truth and nothing to keep in step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aidbridge.core.references import STORED_REFERENCE_LENGTH


# Defined beside the model (and read through ``requests.selectors``) so the ledger, which
# sums the picture, needs the models only.
def in_picture(path: str = "") -> models.Q:
    """Requests in the shared picture; ``path`` reaches the request from another model
    (e.g. ``"request_line__rfa__"``)."""
    return models.Q(**{f"{path}circulated_at__isnull": False})


def not_in_picture(path: str = "") -> models.Q:
    """The requests not in the picture: ``~in_picture(path)``, written so that the
    databases read them from the index on (crisis, circulated_at) (SQLite does not
    for ``NOT (... IS NOT NULL)``)."""
    return models.Q(**{f"{path}circulated_at__isnull": True})


class RequestForAssistance(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to requester")
        CIRCULATED = "circulated", _("Circulated")
        CLOSED = "closed", _("Closed")

    class Closure(models.TextChoices):
        FULFILLED = "fulfilled", _("Fulfilled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        OVERTAKEN = "overtaken", _("Overtaken by events")
        # Circulated as an escalation of an open request (``merged_into``): its lines
        # now live there as increases (see ``requests.escalation``).
        MERGED = "merged", _("Merged into an earlier request")

    crisis = models.ForeignKey("crises.Crisis", on_delete=models.PROTECT, related_name="rfas")
    requester = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="rfas")
    # Given on circulation; unique per year (RFA-2020-0007).
    reference = models.CharField(
        max_length=STORED_REFERENCE_LENGTH, unique=True, null=True, blank=True
    )
    title = models.CharField(max_length=200)
    situation = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    closure = models.CharField(max_length=12, choices=Closure.choices, blank=True)
    # The last reason given for a return or a closure; the audit trail keeps them all.
    status_reason = models.TextField(blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    entry_notes = models.TextField(blank=True, help_text=_("Entry, customs and handling notes"))
    # A repeated request is linked, not dropped: it may be an escalation.
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats"
    )
    # Set when the centre circulated this request as an escalation of an open one.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["crisis", "status"]),
            models.Index(fields=["requester", "status"]),
            # A crisis's requests not (yet) in the picture, found without reading the
            # others (the dashboard's offers on them).
            models.Index(fields=["crisis", "circulated_at"]),
            # A crisis's list in its default order, by page or by cursor (api.keyset).
            models.Index(fields=["crisis", "created_at", "id"], name="rfa_crisis_created"),
        ]
        verbose_name = "request for assistance"
        verbose_name_plural = "requests for assistance"

    def __str__(self) -> str:
        # In the reader's language; the audit trail stores it in English.
        return self.reference or gettext("RFA draft #%(pk)s") % {"pk": self.pk}

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class RequestLine(models.Model):
    # No index of its own: the (rfa, position) and (rfa, item) indexes below start with it.
    rfa = models.ForeignKey(
        RequestForAssistance, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    item = models.ForeignKey("catalogue.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit = models.CharField(max_length=10)
    specification = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(default=2)
    needed_by = models.DateField(null=True, blank=True)
    delivery_airport = models.CharField(max_length=4, blank=True)
    delivery_place = models.CharField(max_length=200, blank=True)
    delivery_lat = models.FloatField(null=True, blank=True)
    delivery_lon = models.FloatField(null=True, blank=True)
    transport_needed = models.BooleanField(default=False)

    class Meta:
        ordering = ["rfa_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rfa", "position"], name="request_line_position"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="request_line_qty"),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=3), name="request_line_priority"
            ),
        ]
        indexes = [
            models.Index(fields=["item"]),
            # "Requests with a line of this item" (the lists' item filter, and its count)
            # answered from the index alone, without reading each request's lines.
            models.Index(fields=["rfa", "item"], name="request_line_rfa_item"),
        ]

    def __str__(self) -> str:
        return f"{self.rfa}/{self.position}"
