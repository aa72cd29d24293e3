"""Nations and organisations that request, offer or coordinate assistance."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Party(models.Model):
    class Kind(models.TextChoices):
        NATION = "nation", _("Nation")
        ORGANISATION = "organisation", _("Organisation")
        CENTRE = "centre", _("Coordination centre")

    # A nation's code is its ISO 3166-1 alpha-3 code (ITA, TUR); an organisation's is a
    # short stable code of its own (NATO-STOCK, UN-OCHA).
    code = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.code

    @property
    def is_nation(self) -> bool:
        return self.kind == self.Kind.NATION
