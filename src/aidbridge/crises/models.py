"""A crisis groups everything asked, offered and moved for one emergency."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Crisis(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    code = models.SlugField(max_length=60, unique=True)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    started_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "code"]
        verbose_name_plural = "crises"

    def __str__(self) -> str:
        return self.code
