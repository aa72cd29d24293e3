"""EDXL-HAVE 1.0: the standard's example imported, the export valid against the
schema, invalid and stale reports refused with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from lxml import etree

from aidbridge.edxl import schemas
from aidbridge.edxl.envelope import serialise
from aidbridge.edxl.imports.errors import MessageRefused
from aidbridge.hospitals import have, services
from aidbridge.hospitals.models import BedReport, Hospital

EXAMPLE = Path(__file__).parent / "data" / "edxl-de-1.0_wrapping_have-1.0_HospitalStatus.xml"
# The example's LastUpdateTime is 2010-11-11T14:59:12.390-05:00.
EXAMPLE_TIME = datetime(2010, 11, 11, 19, 59, 12, 390000, tzinfo=UTC)


def _have(hospital: str, beds: str, at: str, country: str = "") -> bytes:
    address = (
        "<xpil:Addresses><xpil:Address><xal:Country><xal:NameElement>"
        f"{country}</xal:NameElement></xal:Country></xpil:Address></xpil:Addresses>"
        if country
        else ""
    )
    return f"""<have:HospitalStatus xmlns:have="urn:oasis:names:tc:emergency:EDXL:HAVE:1.0"
        xmlns:xnl="urn:oasis:names:tc:ciq:xnl:3" xmlns:xpil="urn:oasis:names:tc:ciq:xpil:3"
        xmlns:xal="urn:oasis:names:tc:ciq:xal:3">
      <have:Hospital>
        <have:Organization><have:OrganizationInformation>
          <xnl:OrganisationName><xnl:NameElement>{hospital}</xnl:NameElement></xnl:OrganisationName>
          {address}
        </have:OrganizationInformation></have:Organization>
        <have:HospitalBedCapacityStatus>{beds}</have:HospitalBedCapacityStatus>
        <have:LastUpdateTime>{at}</have:LastUpdateTime>
      </have:Hospital>
    </have:HospitalStatus>""".encode()


def _beds(bed_type: str, available: str, baseline: str = "") -> str:
    base = f"<have:BaselineCount>{baseline}</have:BaselineCount>" if baseline else ""
    return (
        f"<have:BedCapacity><have:BedType>{bed_type}</have:BedType><have:Capacity>"
        f"<have:AvailableCount>{available}</have:AvailableCount>{base}"
        "</have:Capacity></have:BedCapacity>"
    )


def test_the_standards_example_is_imported(users: dict[str, Any], parties: Any) -> None:
    one = services.register_hospital(
        users["duty"], nation=parties["DEU"], name="Hospital 1", region="Saxony"
    )
    result = have.import_have(
        users["duty"], EXAMPLE.read_bytes(), now=EXAMPLE_TIME + timedelta(hours=1)
    )
    report = BedReport.objects.get()
    assert (report.hospital, report.bed_type, report.available, report.baseline) == (
        one,
        "Burn",
        100,
        None,
    )
    assert report.reported_at == EXAMPLE_TIME
    assert report.source == BedReport.Source.HAVE
    # Hospital 2 reports no beds: nothing to record, and it is said so.
    assert result.skipped == ["Hospital 2"]
    # The same document again records nothing new.
    again = have.import_have(
        users["duty"], EXAMPLE.read_bytes(), now=EXAMPLE_TIME + timedelta(hours=2)
    )
    assert again.reports == [] and len(again.unchanged) == 1
    assert BedReport.objects.count() == 1


def test_the_example_is_stale_today(users: dict[str, Any], parties: Any) -> None:
    services.register_hospital(
        users["duty"], nation=parties["DEU"], name="Hospital 1", region="Saxony"
    )
    with pytest.raises(MessageRefused) as refused:
        have.import_have(users["duty"], EXAMPLE.read_bytes())
    assert refused.value.code == "stale_report"
    assert "stale" in refused.value.message
    assert refused.value.problems[0].path.endswith("/Hospital[1]/LastUpdateTime[1]")
    assert not BedReport.objects.exists()


def test_a_newer_report_supersedes_and_history_stays(
    hospitals: dict[str, Hospital], users: dict[str, Any]
) -> None:
    dresden = hospitals["dresden"]
    at = (timezone.now() - timedelta(minutes=5)).isoformat()
    have.import_have(users["deu"], _have(dresden.name, _beds("AdultICU", "7", "40"), at, "DEU"))
    reports = list(dresden.bed_reports.order_by("reported_at"))
    assert [(r.available, r.superseded_at is None) for r in reports] == [(10, False), (7, True)]


@pytest.mark.parametrize(
    ("beds", "at", "code", "where"),
    [
        # Not schema-valid: a bed type the standard does not know.
        (_beds("Ventilated", "3"), "now", "schema_invalid", "BedType"),
        # Not schema-valid: a count that is no integer.
        (_beds("AdultICU", "three"), "now", "schema_invalid", "AvailableCount"),
        # Valid XML, but a negative count.
        (_beds("AdultICU", "-2"), "now", "validation_error", "BedCapacity[1]"),
        # Older than the limit (48 hours by default).
        (_beds("AdultICU", "3"), "stale", "stale_report", "LastUpdateTime[1]"),
        # In the future.
        (_beds("AdultICU", "3"), "future", "validation_error", "LastUpdateTime[1]"),
    ],
)
def test_invalid_reports_are_refused_with_nothing_written(
    hospitals: dict[str, Hospital], users: dict[str, Any], beds: str, at: str, code: str, where: str
) -> None:
    now = timezone.now()
    when = {
        "now": now - timedelta(minutes=1),
        "stale": now - timedelta(hours=49),
        "future": now + timedelta(hours=3),
    }[at].isoformat()
    before = list(BedReport.objects.values_list("pk", "superseded_at"))
    # A good report of another hospital in the same document is not written either.
    good = _have("Universitätsklinikum Leipzig", _beds("AdultICU", "5"), when)
    document = _have("Universitätsklinikum Carl Gustav Carus Dresden", beds, when).replace(
        b"</have:HospitalStatus>",
        good[good.index(b"<have:Hospital>") : good.index(b"</have:HospitalStatus>")]
        + b"</have:HospitalStatus>",
    )
    with pytest.raises(MessageRefused) as refused:
        have.import_have(users["duty"], document)
    assert refused.value.code == code
    assert any(where in p.path for p in refused.value.problems), refused.value.problems
    assert list(BedReport.objects.values_list("pk", "superseded_at")) == before


def test_an_unknown_hospital_is_refused(hospitals: Any, users: dict[str, Any]) -> None:
    when = timezone.now().isoformat()
    with pytest.raises(MessageRefused) as refused:
        have.import_have(users["duty"], _have("Klinikum Nirgendwo", _beds("AdultICU", "3"), when))
    assert refused.value.code == "unknown_hospital"
    assert "Klinikum Nirgendwo" in refused.value.message


def test_a_poc_imports_only_its_own_nations_hospitals(
    hospitals: Any, users: dict[str, Any]
) -> None:
    when = timezone.now().isoformat()
    document = _have("Fakultní nemocnice Brno", _beds("AdultICU", "3"), when)
    from aidbridge.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        have.import_have(users["deu"], document)
    have.import_have(users["cze"], document)
    assert hospitals["brno"].bed_reports.filter(superseded_at__isnull=True).get().available == 3


def test_the_export_is_valid_edxl_have(hospitals: dict[str, Hospital], crisis: Any) -> None:
    hospitals_list = list(Hospital.objects.all())
    bare = have.export_have(hospitals_list)
    assert schemas.validate(etree.fromstring(serialise(bare))) == []
    wrapped = have.export_have(hospitals_list, crisis=crisis)
    parsed = etree.fromstring(serialise(wrapped))
    assert schemas.validate(parsed) == []
    # Exported capacity reads back as the same figures.
    counts = parsed.xpath("//have:AvailableCount/text()", namespaces={"have": have.H})
    assert counts == ["10", "10", "10"]


def test_what_is_exported_imports_back(hospitals: dict[str, Hospital], users: Any) -> None:
    services.report_beds(
        users["deu"],
        hospitals["dresden"],
        bed_type="NegativeFlowIsolation",
        available=0,
        baseline=4,
    )
    document = serialise(have.export_have(list(Hospital.objects.all())))
    result = have.import_have(users["duty"], document)
    assert result.reports == [] and len(result.unchanged) == 4
