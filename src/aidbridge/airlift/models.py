"""Airlift tables: the fleet, planning runs, and the sorties an approved plan creates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aidbridge.runs.models import PlanningRun


class Size(models.TextChoices):
    """Aircraft and airfield size classes, smallest first (the planner's order)."""

    LIGHT = "light", _("Light")
    MEDIUM = "medium", _("Medium")
    HEAVY = "heavy", _("Heavy")


class AircraftType(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100, blank=True)
    payload_kg = models.PositiveIntegerField()
    pallets = models.PositiveSmallIntegerField(help_text=_("463L pallet positions"))
    cruise_kmh = models.PositiveIntegerField()
    range_km = models.PositiveIntegerField(help_text=_("Longest single leg, whatever the load"))
    size = models.CharField(max_length=6, choices=Size.choices)
    cost_per_hour = models.PositiveIntegerField(help_text=_("Euros per flight hour"))

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(payload_kg__gt=0), name="type_payload"),
            models.CheckConstraint(condition=models.Q(cruise_kmh__gt=0), name="type_cruise"),
            models.CheckConstraint(condition=models.Q(range_km__gt=0), name="type_range"),
        ]

    def __str__(self) -> str:
        return self.code


class Capability(models.TextChoices):
    """What an aircraft is fitted for beyond cargo; a consignment may require it (the
    planner's ``capabilities`` and ``requires``, docs/specs/airlift.md)."""

    MEDEVAC = "medevac", _("MEDEVAC (flying intensive care)")


class Aircraft(models.Model):
    tail = models.CharField(max_length=20, unique=True, help_text=_("Call sign or tail number"))
    type = models.ForeignKey(AircraftType, on_delete=models.PROTECT, related_name="aircraft")
    operator = models.CharField(max_length=60, help_text=_("SALIS, SAC or the nation flying it"))
    base = models.CharField(max_length=4, help_text=_("ICAO code of the home base"))
    available_from = models.DateTimeField()
    available_until = models.DateTimeField()
    # Values of Capability, checked by services.fleet (sorted, each once).
    capabilities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["tail"]
        verbose_name_plural = "aircraft"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_until__gt=models.F("available_from")),
                name="aircraft_available_window",
            ),
        ]

    def __str__(self) -> str:
        return self.tail


class AirfieldLimit(models.Model):
    """The largest aircraft class an airfield takes. An airfield without a row takes
    every class (``heavy``): the limits are the exceptions the centre knows of."""

    icao = models.CharField(max_length=4, unique=True)
    max_aircraft = models.CharField(max_length=6, choices=Size.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["icao"]

    def __str__(self) -> str:
        return f"{self.icao} ≤ {self.max_aircraft}"


class AirliftPlanRun(PlanningRun):
    """The lifecycle, times, input and output are :class:`PlanningRun`'s. The input is
    built when the run is asked for; ``lines`` maps each consignment id to the offer
    line and quantity it carries; ``skipped`` lists the lines needing airlift that
    could not even become consignments, with the reason."""

    audit_name = "airlift_plan"

    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.PROTECT, related_name="airlift_runs"
    )
    time_limit_s = models.FloatField()
    input = models.JSONField()  # built when the run is asked for: never missing
    lines = models.JSONField(default=dict)
    skipped = models.JSONField(default=list)
    violations = models.JSONField(default=list)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"airlift plan {self.pk}"


class Sortie(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DEPARTED = "departed", _("Departed")
        ARRIVED = "arrived", _("Arrived")

    run = models.ForeignKey(AirliftPlanRun, on_delete=models.PROTECT, related_name="sorties")
    crisis = models.ForeignKey("crises.Crisis", on_delete=models.PROTECT, related_name="sorties")
    reference = models.CharField(max_length=30, unique=True)
    aircraft = models.ForeignKey(Aircraft, on_delete=models.PROTECT, related_name="sorties")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    # The planned stops as the planner gave them: airport, arrive, depart, load, unload.
    stops = models.JSONField()
    planned_departure = models.DateTimeField()
    planned_return = models.DateTimeField()
    departed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["planned_departure", "id"]
        indexes = [models.Index(fields=["crisis", "status"])]

    def __str__(self) -> str:
        return self.reference


class SortieLoad(models.Model):
    """One consignment on a sortie: what of which offer line is flown from where to where."""

    sortie = models.ForeignKey(Sortie, on_delete=models.CASCADE, related_name="loads")
    consignment = models.CharField(max_length=40)
    offer_line = models.ForeignKey(
        "offers.OfferLine", on_delete=models.PROTECT, related_name="sortie_loads"
    )
    quantity = models.PositiveIntegerField()
    weight_kg = models.FloatField()
    pallets = models.PositiveSmallIntegerField()
    origin = models.CharField(max_length=4)
    destination = models.CharField(max_length=4)
    load_at = models.DateTimeField()
    unload_at = models.DateTimeField()
    # A consignment handed over by another app (``airlift.sources``: a MEDEVAC patient
    # transfer) names it, so the sortie's departure and arrival are recorded by it.
    source = models.CharField(max_length=30, blank=True)
    source_key = models.CharField(max_length=40, blank=True)
    # Set when the sortie departs: the clearing-house's own record of the movement.
    dispatch = models.OneToOneField(
        "logistics.Dispatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sortie_load",
    )

    class Meta:
        ordering = ["sortie_id", "load_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="sortie_load_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.consignment} on {self.sortie}"
