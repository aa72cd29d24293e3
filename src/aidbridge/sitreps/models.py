"""Situation reports: numbered, approved, bilingual messages about one crisis.

A published sitrep is a record the centre is judged by: once the head of centre has
approved it, nothing in it changes, not even when the figures it reports move on. Its
figures are therefore frozen into ``snapshot`` at publication; a correction is a new
sitrep that names the one it corrects.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aidbridge.core.errors import Conflict
from aidbridge.sitreps.dtg import dtg

DEFAULT_MARKING = ("NON-CLASSIFIED", "NON CLASSIFIÉ")


def default_marking_en() -> str:
    return getattr(settings, "AIDBRIDGE_SITREP_MARKING", DEFAULT_MARKING)[0]


def default_marking_fr() -> str:
    return getattr(settings, "AIDBRIDGE_SITREP_MARKING", DEFAULT_MARKING)[1]


class Sitrep(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Precedence(models.TextChoices):
        ROUTINE = "ROUTINE", _("Routine")
        PRIORITY = "PRIORITY", _("Priority")
        IMMEDIATE = "IMMEDIATE", _("Immediate")
        FLASH = "FLASH", _("Flash")

    crisis = models.ForeignKey("crises.Crisis", on_delete=models.PROTECT, related_name="sitreps")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Given on publication: "SITREP No. 3" of this crisis, and the centre's message number
    # OPS(AIDB)(2020)0012 whose counter runs per year across all the centre's messages.
    sequence = models.PositiveIntegerField(null=True, blank=True)
    message_number = models.CharField(max_length=40, unique=True, null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    marking_en = models.CharField(max_length=60, default=default_marking_en)
    marking_fr = models.CharField(max_length=60, default=default_marking_fr)
    precedence = models.CharField(
        max_length=10, choices=Precedence.choices, default=Precedence.ROUTINE
    )
    from_line = models.CharField(max_length=200)
    to_line = models.TextField()
    originator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rfas = models.ManyToManyField(
        "requests.RequestForAssistance", blank=True, related_name="sitreps"
    )
    general_situation = models.TextField(blank=True)
    general_situation_fr = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    assessment_fr = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    releasable = models.BooleanField(
        default=False, help_text=_("May be shown on the public page once published")
    )
    # The figures as they stood at publication (see sitreps.figures); None while a draft,
    # whose figures are computed afresh each time it is shown.
    snapshot = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["crisis_id", "-sequence", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["crisis", "sequence"], name="sitrep_sequence_per_crisis"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(
                    sequence__isnull=False,
                    message_number__isnull=False,
                    published_at__isnull=False,
                    snapshot__isnull=False,
                ),
                name="sitrep_published_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["crisis", "status", "published_at"])]

    def __str__(self) -> str:
        if self.message_number:
            return self.message_number
        # In the reader's language; the audit trail stores it in English.
        return gettext("Sitrep draft #%(pk)s") % {"pk": self.pk}

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An integrity guard under every path (services, admin, shell): a row that is
        # published in the database is never written again.
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True)
            if stored.first() == self.Status.PUBLISHED:
                raise Conflict(
                    gettext("%(self)s is published and cannot be changed") % {"self": self},
                    code="published",
                )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published:
            raise Conflict(
                gettext("%(self)s is published and cannot be deleted") % {"self": self},
                code="published",
            )
        return super().delete(*args, **kwargs)

    @property
    def dtg(self) -> str:
        """The date-time group of publication (``231530Z NOV 26``), "" for a draft."""
        return dtg(self.published_at) if self.published_at else ""

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class SitrepRendering(models.Model):
    """A published sitrep as it was rendered once, served from here ever after.

    A published sitrep never changes, so its HTML and PDF need not be made again for
    each reader (a PDF costs about half a second of CPU). Rows are made on first demand
    (see ``sitreps.renderings``) and can always be made again: the backup leaves them
    out. Drafts are never stored: their figures move.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        HTML = "html", "HTML document"  # standalone, the stylesheet inlined (download)
        PAGE = "page", "signed-in page"
        PUBLIC_PAGE = "public_page", "public page"

    sitrep = models.ForeignKey(Sitrep, on_delete=models.CASCADE, related_name="renderings")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    lang = models.CharField(max_length=2)
    part = models.CharField(max_length=5)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sitrep", "kind", "lang", "part"], name="sitrep_rendering_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sitrep} {self.kind} {self.lang} {self.part}"
