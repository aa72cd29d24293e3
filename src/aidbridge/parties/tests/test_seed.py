"""The parties seed and its loader, against the real database."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from aidbridge.audit.models import AuditEntry
from aidbridge.core.errors import ValidationFailed
from aidbridge.ops.bootstrap import bootstrap_centre
from aidbridge.parties.models import Party
from aidbridge.parties.seed import PARTIES_SEED, load_parties

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> Any:
    """The centre's first account: the actor the seed is loaded as."""
    return bootstrap_centre("admin")


def test_seed_has_the_allies_partners_and_organisations(admin: Any) -> None:
    load_parties(admin)
    seed = json.loads(PARTIES_SEED.read_text(encoding="utf-8"))
    assert len(seed["allies"]) == 32
    nations = Party.objects.filter(kind=Party.Kind.NATION)
    assert nations.count() == len(seed["allies"]) + len(seed["partners"])
    for party in nations:
        assert re.fullmatch(r"[A-Z]{3}", party.code), party.code
        assert party.name_en and party.name_fr
    assert Party.objects.get(code="ITA").name_fr == "Italie"
    assert Party.objects.get(code="USA").name_fr == "États-Unis"
    assert Party.objects.get(code="MKD").name_en == "North Macedonia"
    assert Party.objects.get(code="AUT").kind == Party.Kind.NATION
    centre = Party.objects.get(code="EADRCC")
    assert centre.kind == Party.Kind.CENTRE
    for code in ["NATO-STOCK", "UN-OCHA", "WHO", "EU-ERCC"]:
        assert Party.objects.get(code=code).kind == Party.Kind.ORGANISATION


def test_reloading_duplicates_nothing_and_restores_names(admin: Any) -> None:
    load_parties(admin)
    count = Party.objects.count()
    Party.objects.filter(code="ITA").update(name_en="Italia")
    report = load_parties(admin)
    assert report.counts["parties"]["updated"] == 1
    assert report.counts["parties"]["created"] == 0
    assert Party.objects.count() == count
    assert Party.objects.get(code="ITA").name_en == "Italy"
    assert not load_parties(admin).changed


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"code": "IT", "name_en": "Italy", "name_fr": "Italie"}, "alpha-3"),
        ({"code": "ITA", "name_en": "Italy", "name_fr": ""}, "name_fr is missing"),
    ],
)
def test_a_bad_party_is_named_and_nothing_is_written(
    admin: Any, tmp_path: Path, row: dict[str, str], message: str
) -> None:
    path = tmp_path / "parties.json"
    ok = {"code": "FRA", "name_en": "France", "name_fr": "France"}
    path.write_text(json.dumps({"allies": [ok, row]}), encoding="utf-8")
    with pytest.raises(ValidationFailed, match=message):
        load_parties(admin, path)
    assert list(Party.objects.values_list("code", flat=True)) == ["EADRCC"]


def test_a_party_of_another_kind_is_refused(admin: Any, tmp_path: Path) -> None:
    path = tmp_path / "parties.json"
    centre = {"code": "EADRCC", "kind": "organisation", "name_en": "C", "name_fr": "C"}
    path.write_text(json.dumps({"organisations": [centre]}), encoding="utf-8")
    with pytest.raises(ValidationFailed, match="EADRCC is of kind centre here but organisation"):
        load_parties(admin, path)


def test_loading_goes_through_the_service_and_is_audited(admin: Any) -> None:
    load_parties(admin)
    entries = AuditEntry.objects.filter(action="party.create")
    assert entries.count() == Party.objects.count() - 1  # all but the bootstrapped centre
    assert {e.actor_id for e in entries} == {admin.pk}
    Party.objects.filter(code="ITA").update(name_fr="Italia")
    load_parties(admin)
    update = AuditEntry.objects.get(action="party.update")
    assert update.changes == {"name_fr": ["Italia", "Italie"]}


def test_command_is_idempotent(admin: Any) -> None:
    call_command("load_parties", stdout=StringIO())
    out = StringIO()
    call_command("load_parties", stdout=out)
    assert "parties: 0 created, 0 updated" in out.getvalue()
