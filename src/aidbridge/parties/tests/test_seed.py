"""The parties seed and its loader, against the real database."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from aidbridge.core.errors import ValidationFailed
from aidbridge.parties.models import Party
from aidbridge.parties.seed import PARTIES_SEED, load_parties

pytestmark = pytest.mark.django_db


def test_seed_has_the_allies_partners_and_organisations() -> None:
    load_parties()
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


def test_reloading_duplicates_nothing_and_restores_names() -> None:
    load_parties()
    count = Party.objects.count()
    Party.objects.filter(code="ITA").update(name_en="Italia")
    report = load_parties()
    assert report.counts["parties"]["updated"] == 1
    assert report.counts["parties"]["created"] == 0
    assert Party.objects.count() == count
    assert Party.objects.get(code="ITA").name_en == "Italy"
    assert not load_parties().changed


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"code": "IT", "name_en": "Italy", "name_fr": "Italie"}, "alpha-3"),
        ({"code": "ITA", "name_en": "Italy", "name_fr": ""}, "name_fr is missing"),
    ],
)
def test_a_bad_party_is_named_and_nothing_is_written(
    tmp_path: Path, row: dict[str, str], message: str
) -> None:
    path = tmp_path / "parties.json"
    ok = {"code": "FRA", "name_en": "France", "name_fr": "France"}
    path.write_text(json.dumps({"allies": [ok, row]}), encoding="utf-8")
    with pytest.raises(ValidationFailed, match=message):
        load_parties(path)
    assert not Party.objects.exists()


def test_command_is_idempotent() -> None:
    call_command("load_parties", stdout=StringIO())
    out = StringIO()
    call_command("load_parties", stdout=out)
    assert "parties: 0 created, 0 updated" in out.getvalue()
