"""What aidbridge remembers of the EDXL messages it imported.

One row per imported EDXL-RM message: its ids (so the same message sent again is
acknowledged and changes nothing), who sent it and who imported it, and what it made
here, element by element, so a later message that answers it (``PrecedingMessageID`` +
``PrecedingResourceInfoElementID``) finds the request line, offer line or dispatch it
is about. Refused messages leave no row: a refusal writes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceivedMessage(models.Model):
    class Outcome(models.TextChoices):
        CREATED = "created", _("Created")
        # A message that asks for nothing here, e.g. a response declining every line.
        NOTHING = "nothing", _("Nothing to create")

    # EDXL-RM says a MessageID is unique to its message; other centres' ids are opaque.
    message_id = models.CharField(max_length=255, unique=True)
    # The envelope's distributionID ("" for a bare message); several messages may share it.
    distribution_id = models.CharField(max_length=255, blank=True, db_index=True)
    envelope_sender = models.CharField(max_length=255, blank=True)  # the envelope's senderID
    message_type = models.CharField(max_length=60)
    sender = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="edxl_messages"
    )
    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.PROTECT, related_name="edxl_messages"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # What was made, as the API answers it: [{"kind": "rfa", "id": 7, "reference": ...}].
    created = models.JSONField(default=list)
    # ResourceInfoElementID -> what it made or meant here: {"request_line": 12},
    # {"offer_line": 40}, {"dispatch": 5}, {"receipt": 3}; read by answering messages.
    elements = models.JSONField(default=dict)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("received EDXL message")

    def __str__(self) -> str:
        return f"{self.message_type} {self.message_id}"
