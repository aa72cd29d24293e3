"""Partner centres, their keys, and what links our rows to theirs.

A **partner** is another aidbridge centre the centre declared: its code (sent in
``X-Aidbridge-Centre``), base URL, the crises shared with it and in which direction.
Its **keys** are HMAC secrets: ``sign`` keys sign what we send (the newest valid one
signs), ``verify`` keys check what it sends (every valid one is tried, so the partner
can switch to a new key while the old one still verifies until its ``not_after``).

A shared request has one **global id** (``EADRCC:rfa:7``: the origin centre's code,
the kind, the origin's row id), as have its lines, offers, offer lines, dispatches and
receipts. A row made here from a partner's message is linked to its global id
(``GlobalLink``); a row of ours without a link has the global id made of our code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aidbridge.core.references import OWN_REFERENCE_LENGTH


class Direction(models.TextChoices):
    SEND = "send", _("We send")
    RECEIVE = "receive", _("We receive")
    BOTH = "both", _("Both ways")


class Partner(models.Model):
    code = models.CharField(max_length=6, unique=True)
    name = models.CharField(max_length=100)
    base_url = models.URLField(max_length=300)
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.BOTH)
    crises = models.ManyToManyField("crises.Crisis", blank=True, related_name="+")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def destination(self) -> str:
        return f"partner:{self.pk}"

    @property
    def sends_to(self) -> bool:
        return self.active and self.direction in (Direction.SEND, Direction.BOTH)

    @property
    def receives_from(self) -> bool:
        return self.active and self.direction in (Direction.RECEIVE, Direction.BOTH)


class PartnerKey(models.Model):
    class Purpose(models.TextChoices):
        SIGN = "sign", _("Signs what we send")
        VERIFY = "verify", _("Verifies what the partner sends")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    purpose = models.CharField(max_length=6, choices=Purpose.choices)
    # Kept as written: an HMAC needs the key itself.
    secret = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    not_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner.code} {self.purpose} key {self.pk}"


class InboundMessage(models.Model):
    """Each message accepted from a partner, by id: a second delivery is a no-op."""

    message_id = models.CharField(max_length=60)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "message_id"], name="federation_msg_once")
        ]

    def __str__(self) -> str:
        return f"{self.message_id} from partner {self.partner_id}: {self.outcome}"


class Mirror(models.Model):
    """A request of a partner centre, mirrored here; the origin stays authoritative."""

    rfa = models.OneToOneField(
        "requests.RequestForAssistance", on_delete=models.CASCADE, related_name="mirror"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="mirrors")
    origin_gid = models.CharField(max_length=60, unique=True)
    origin_reference = models.CharField(max_length=OWN_REFERENCE_LENGTH)
    # The origin's version of the last snapshot applied: an older one is ignored.
    version = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"via {self.partner.code}, {self.origin_reference}"


class Share(models.Model):
    """At the origin: the version of a shared request, raised once by each transaction
    that changes it."""

    rfa = models.OneToOneField(
        "requests.RequestForAssistance", on_delete=models.CASCADE, related_name="share"
    )
    version = models.BigIntegerField(default=0)
    # Commands from partners that the origin refused: {global id: reason}; the snapshot
    # carries them so the partner withdraws what it had made locally.
    refused = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"request {self.rfa_id} shared, version {self.version}"


class GlobalLink(models.Model):
    kind = models.CharField(max_length=12)
    local_id = models.BigIntegerField()
    gid = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "local_id"], name="federation_link_local"),
            models.UniqueConstraint(fields=["kind", "gid"], name="federation_link_gid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_id} = {self.gid}"
