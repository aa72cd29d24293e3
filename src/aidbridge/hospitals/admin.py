"""Admin: hospitals and bed reports, read-only for centre staff (``CentreAdmin``): the
registry and the reports are written through the pages, the API and the HAVE import,
whose services check and audit every change."""

from django.contrib import admin

from aidbridge.accounts.admin_base import CentreAdmin
from aidbridge.hospitals.models import BedReport, Hospital


@admin.register(Hospital)
class HospitalAdmin(CentreAdmin[Hospital]):
    list_display = ("name", "nation", "region", "airport")
    list_filter = ("nation",)
    search_fields = ("name", "region")


@admin.register(BedReport)
class BedReportAdmin(CentreAdmin[BedReport]):
    list_display = ("hospital", "bed_type", "available", "baseline", "reported_at", "source")
    list_filter = ("bed_type", "source")
