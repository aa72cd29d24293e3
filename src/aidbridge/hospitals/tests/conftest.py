"""Hospitals of two nations with fresh ICU reports, and the patient-transfer item."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aidbridge.catalogue.models import Category, Item
from aidbridge.hospitals import services
from aidbridge.hospitals.models import Hospital
from aidbridge.parties.models import Party
from aidbridge.web.tests.conftest import browser, open_page

__all__ = ["browser", "hospitals", "open_page", "pat_icu"]


@pytest.fixture
def pat_icu(db: Any) -> Item:
    category = Category.objects.create(
        code="PATIENT", name_en="Patient transfer", name_fr="Transfert de patients"
    )
    return Item.objects.create(
        code="PAT-ICU",
        category=category,
        name_en="ICU patient transfer and care abroad",
        name_fr="Transfert et prise en charge d'un patient en réanimation à l'étranger",
        unit="patient",
        unit_weight_kg=Decimal("0"),
        unit_volume_m3=Decimal("0"),
    )


@pytest.fixture
def hospitals(users: dict[str, Any], parties: dict[str, Party]) -> dict[str, Hospital]:
    """Dresden and Leipzig (DEU), Brno (CZE), each with 10 free adult ICU beds reported
    an hour ago."""
    rows = [
        (
            "dresden",
            "DEU",
            "Universitätsklinikum Carl Gustav Carus Dresden",
            "Saxony",
            51.0546,
            13.7810,
            "EDDC",
        ),
        ("leipzig", "DEU", "Universitätsklinikum Leipzig", "Saxony", 51.3316, 12.3857, "EDDP"),
        ("brno", "CZE", "Fakultní nemocnice Brno", "South Moravia", 49.1761, 16.5692, "LKTB"),
    ]
    out = {}
    an_hour_ago = timezone.now() - timedelta(hours=1)
    for key, nation, name, region, lat, lon, airport in rows:
        hospital = services.register_hospital(
            users["duty"],
            nation=parties[nation],
            name=name,
            region=region,
            lat=lat,
            lon=lon,
            airport=airport,
        )
        services.report_beds(
            users["duty"],
            hospital,
            bed_type="AdultICU",
            available=10,
            baseline=40,
            reported_at=an_hour_ago,
        )
        out[key] = hospital
    return out
