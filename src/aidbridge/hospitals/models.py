"""Receiving hospitals, their bed availability (EDXL-HAVE bed types), and the detail
records that turn a request line and an offer line into a patient transfer and a bed
offer.

Patient transfers are ordinary request lines (of a catalogue item such as ``PAT-ICU``)
and bed offers ordinary offer lines against them, so acceptance, decline, withdrawal and
every ledger figure work unchanged; the records here only add what beds need. They hold
counts and transport constraints, never who the patient is: no name, birth date or
diagnosis (``tests/test_no_patient_identity.py`` reads every model of the project).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aidbridge.runs.models import PlanningRun


class BedType(models.TextChoices):
    """The EDXL-HAVE 1.0 ``BedType`` values (edxl-have.xsd), in the schema's order."""

    ADULT_ICU = "AdultICU", _("Adult ICU")
    PEDIATRIC_ICU = "PediatricICU", _("Paediatric ICU")
    NEONATAL_ICU = "NeonatalICU", _("Neonatal ICU")
    EMERGENCY_DEPARTMENT = "EmergencyDepartment", _("Emergency department")
    NURSERY = "NurseryBeds", _("Nursery beds")
    MEDICAL_SURGICAL = "MedicalSurgical", _("Medical/surgical")
    REHAB = "RehabLongTermCare", _("Rehabilitation/long-term care")
    BURN = "Burn", _("Burns")
    PEDIATRICS = "Pediatrics", _("Paediatrics")
    ADULT_PSYCHIATRIC = "AdultPsychiatric", _("Adult psychiatric")
    PEDIATRIC_PSYCHIATRIC = "PediatricPsychiatric", _("Paediatric psychiatric")
    NEGATIVE_FLOW_ISOLATION = "NegativeFlowIsolation", _("Negative-pressure isolation")
    OTHER_ISOLATION = "OtherIsolation", _("Other isolation")
    OPERATING_ROOMS = "OperatingRooms", _("Operating rooms")


class Hospital(models.Model):
    name = models.CharField(max_length=200)
    nation = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="hospitals")
    region = models.CharField(max_length=120, help_text=_("State, Land, province or county"))
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # Validated against catalogue.airports (ICAO, upper case).
    airport = models.CharField(max_length=4, blank=True, help_text=_("Nearest airport (ICAO)"))
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nation__code", "region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["nation", "name"], name="hospital_name_per_nation")
        ]

    def __str__(self) -> str:
        return self.name


class BedReport(models.Model):
    """One report of one bed type at one hospital. A newer report supersedes the
    current one (``superseded_at`` is set), which stays as history."""

    class Source(models.TextChoices):
        FORM = "form", _("Form")
        API = "api", _("API")
        HAVE = "have", _("EDXL-HAVE import")

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="bed_reports")
    bed_type = models.CharField(max_length=30, choices=BedType.choices)
    available = models.PositiveIntegerField()
    baseline = models.PositiveIntegerField(null=True, blank=True)
    reported_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["hospital_id", "bed_type", "-reported_at", "-id"]
        constraints = [
            # One current report per hospital and bed type.
            models.UniqueConstraint(
                fields=["hospital", "bed_type"],
                condition=models.Q(superseded_at__isnull=True),
                name="bed_report_one_current",
            )
        ]
        indexes = [models.Index(fields=["hospital", "bed_type", "superseded_at"])]

    def __str__(self) -> str:
        return f"{self.hospital} {self.bed_type} {self.available}"


class TransferNeed(models.Model):
    """What a request line of patient transfers needs besides its count (the line's
    quantity) and date (the line's needed-by)."""

    request_line = models.OneToOneField(
        "requests.RequestLine", on_delete=models.CASCADE, related_name="transfer_need"
    )
    bed_type = models.CharField(max_length=30, choices=BedType.choices)
    origin_hospital = models.ForeignKey(
        Hospital, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_region = models.CharField(max_length=120, blank=True)
    ventilated = models.BooleanField(default=False)
    needs_isolation = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.request_line} {self.bed_type}"


class BedOffer(models.Model):
    """What an offer line of beds gives besides its count (the line's quantity): the
    bed type and the receiving hospitals."""

    offer_line = models.OneToOneField(
        "offers.OfferLine", on_delete=models.CASCADE, related_name="bed_offer"
    )
    bed_type = models.CharField(max_length=30, choices=BedType.choices)

    def __str__(self) -> str:
        return f"{self.offer_line} {self.bed_type}"


class BedOfferPlace(models.Model):
    bed_offer = models.ForeignKey(BedOffer, on_delete=models.CASCADE, related_name="places")
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    beds = models.PositiveIntegerField()

    class Meta:
        ordering = ["bed_offer_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bed_offer", "hospital"], name="bed_offer_place_once"),
            models.CheckConstraint(condition=models.Q(beds__gt=0), name="bed_offer_place_beds"),
        ]

    def __str__(self) -> str:
        return f"{self.hospital}: {self.beds}"


class TransferMatchingRun(PlanningRun):
    """The transfer matcher's proposal for a crisis (``planning.transfers``), on the
    lifecycle every planning run shares (``runs``); the centre reviews and accepts it."""

    audit_name = "transfer_matching_run"

    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.PROTECT, related_name="transfer_matching_runs"
    )
    # The rows the input's ids stand for: {"needs": {id: RequestLine pk},
    # "offers": {id: [OfferLine pk, Hospital pk]}}.
    rows = models.JSONField(null=True, blank=True)
    check_ok = models.BooleanField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["crisis", "-requested_at"])]

    def __str__(self) -> str:
        return f"transfer matching run #{self.pk} ({self.crisis_id})"


class ProposedTransfer(models.Model):
    """One transfer of the plan: ``patients`` of a need to one hospital of a bed offer."""

    class Mode(models.TextChoices):
        ROAD = "road", _("Road ambulance")
        AIR = "air", _("MEDEVAC flight")

    run = models.ForeignKey(TransferMatchingRun, on_delete=models.CASCADE, related_name="transfers")
    need = models.ForeignKey(
        "requests.RequestLine", on_delete=models.PROTECT, related_name="proposed_transfers"
    )
    offer_line = models.ForeignKey(
        "offers.OfferLine", on_delete=models.PROTECT, related_name="proposed_transfers"
    )
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    need_ref = models.CharField(max_length=40)
    offer_ref = models.CharField(max_length=60)
    patients = models.PositiveIntegerField()
    minutes = models.FloatField()
    km = models.FloatField()
    mode = models.CharField(max_length=4, choices=Mode.choices)
    # The centre handed this (road) transfer to the airlift planner; a MEDEVAC flight is
    # handed over by its mode (``hospitals.airlift_source``).
    airlift = models.BooleanField(default=False)
    # Its departure, once recorded: an ordinary dispatch of the offer line, whose
    # receipt is its arrival (``hospitals.tracking``); the ledger counts both.
    dispatch = models.OneToOneField(
        "logistics.Dispatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patient_transfer",
    )

    class Meta:
        ordering = ["run_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(patients__gt=0), name="proposed_transfer_patients"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need_ref} -> {self.offer_ref}: {self.patients}"

    @property
    def stage(self) -> str:
        """planned (accepted, not left yet), departed, or arrived."""
        if self.dispatch_id is None:
            return "planned"
        return "arrived" if hasattr(self.dispatch, "receipt") else "departed"
