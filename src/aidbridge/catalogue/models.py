"""The catalogue of relief items, with units, weights, volumes and substitutes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.code


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    PAIR = "pair", _("pair")
    BOX = "box", _("box")
    KIT = "kit", _("kit")
    KG = "kg", _("kilogram")
    LITRE = "litre", _("litre")
    TONNE = "tonne", _("tonne")
    BED = "bed", _("bed")
    PATIENT = "patient", _("patient")
    TEAM = "team", _("team")
    FLIGHT = "flight", _("flight")
    PALLET = "pallet", _("pallet")


class Item(models.Model):
    code = models.CharField(max_length=30, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    name_en = models.CharField(max_length=160)
    name_fr = models.CharField(max_length=160)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    # Per unit, for airlift loads and tonne-km; zero for services (teams, transfers).
    unit_weight_kg = models.DecimalField(max_digits=12, decimal_places=4)
    unit_volume_m3 = models.DecimalField(max_digits=12, decimal_places=6)
    # For a service that moves people (a patient transfer): what one unit takes aboard
    # when flown (the patient with stretcher, equipment and medical escort). Not aid
    # weight: the tonnes of the picture stay the unit weight's. Empty: not flown.
    transport_weight_kg = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True
    )
    transport_volume_m3 = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True
    )
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en


class Substitute(models.Model):
    """``supply_item`` may fill a need for ``need_item`` (an FFP2 respirator for a mask)."""

    need_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="substitutes")
    supply_item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="substitutes_for")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need_item", "supply_item"], name="substitute_unique"),
            models.CheckConstraint(
                condition=~models.Q(need_item=models.F("supply_item")), name="substitute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supply_item} for {self.need_item}"
