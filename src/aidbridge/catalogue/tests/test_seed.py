"""The catalogue seed and its loader, against the real database."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aidbridge.catalogue.models import Category, Item, Substitute, Unit
from aidbridge.catalogue.services import CATALOGUE_SEED, load_catalogue
from aidbridge.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

SERVICE_UNITS = {Unit.TEAM, Unit.PATIENT, Unit.FLIGHT}


def test_seed_loads_a_real_catalogue() -> None:
    report = load_catalogue()
    assert report.counts["items"]["created"] == Item.objects.count() >= 80
    for code in ["VENT-ICU", "MASK-SURG", "RESP-FFP2", "SUIT-PROT", "DISINF-L", "PAT-ICU"]:
        assert Item.objects.filter(code=code).exists(), code
    vent = Item.objects.get(code="VENT-ICU")
    assert vent.unit == Unit.PIECE
    assert vent.category.code == "BIOMED"
    assert vent.unit_weight_kg == Decimal("40.0000")
    # Every area of relief named in the brief has items.
    assert set(Category.objects.values_list("code", flat=True)) >= {
        "PPE", "DIAG", "BIOMED", "OXYGEN", "MEDICINE", "SHELTER", "WASH",
        "MEDTEAM", "FIELDHOSP", "PATIENT", "TRANSPORT",
    }  # fmt: skip


def test_every_item_has_both_names_a_unit_and_positive_measures_when_physical() -> None:
    load_catalogue()
    seed = json.loads(CATALOGUE_SEED.read_text(encoding="utf-8"))
    services = {c["code"] for c in seed["categories"] if c.get("service")}
    for item in Item.objects.select_related("category"):
        assert item.name_en.strip() and item.name_fr.strip(), item.code
        assert item.name_en != item.name_fr, item.code  # a real translation
        assert item.unit in Unit.values, item.code
        if item.category.code in services:
            assert item.unit_weight_kg == 0 and item.unit_volume_m3 == 0, item.code
        else:
            assert item.unit not in SERVICE_UNITS, item.code
            assert item.unit_weight_kg > 0 and item.unit_volume_m3 > 0, item.code


def test_french_names_carry_their_accents() -> None:
    load_catalogue()
    assert Item.objects.get(code="VENT-ICU").name_fr == "Respirateur de réanimation"
    assert Item.objects.get(code="DISINF-L").name_fr == "Désinfectant de surfaces"
    assert Category.objects.get(code="PPE").name_fr == "Équipements de protection individuelle"


def test_substitutes_are_loaded_both_ways_where_the_seed_says_so() -> None:
    load_catalogue()
    mask_subs = set(
        Substitute.objects.filter(need_item__code="MASK-SURG").values_list(
            "supply_item__code", flat=True
        )
    )
    assert mask_subs == {"RESP-FFP2", "RESP-FFP3", "RESP-N95"}
    # A surgical mask is no substitute for a respirator.
    assert not Substitute.objects.filter(
        need_item__code="RESP-FFP2", supply_item__code="MASK-SURG"
    ).exists()
    assert Substitute.objects.filter(
        need_item__code="VENT-ICU", supply_item__code="VENT-TRANS"
    ).exists()


def test_reloading_changes_nothing_and_duplicates_nothing() -> None:
    load_catalogue()
    counts = (Category.objects.count(), Item.objects.count(), Substitute.objects.count())
    report = load_catalogue()
    assert not report.changed
    assert report.counts["items"]["unchanged"] == counts[1]
    assert (Category.objects.count(), Item.objects.count(), Substitute.objects.count()) == counts


def test_reloading_updates_an_item_edited_by_hand_by_its_code() -> None:
    load_catalogue()
    item = Item.objects.get(code="MASK-SURG")
    item.name_en = "Something else"
    item.save()
    report = load_catalogue()
    assert report.counts["items"]["updated"] == 1
    item.refresh_from_db()
    assert item.name_en == "Surgical mask (type IIR)"
    assert Item.objects.filter(code="MASK-SURG").count() == 1


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _one_item(**overrides: object) -> dict[str, object]:
    item: dict[str, object] = {
        "code": "TEST-1",
        "category": "PPE",
        "name_en": "Test item",
        "name_fr": "Article d'essai",
        "unit": "piece",
        "unit_weight_kg": "1",
        "unit_volume_m3": "0.001",
    }
    item.update(overrides)
    return {
        "categories": [{"code": "PPE", "name_en": "PPE", "name_fr": "EPI"}],
        "items": [item],
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unit": "barrel"}, "unknown unit 'barrel'"),
        ({"name_fr": ""}, "name_fr is missing or empty"),
        ({"unit_weight_kg": "0"}, "weight and volume must be positive"),
        ({"unit_volume_m3": "-1"}, "unit_volume_m3 must be zero or positive"),
        ({"unit_weight_kg": "heavy"}, "unit_weight_kg is not a number"),
        ({"category": "NOPE"}, "unknown category 'NOPE'"),
    ],
)
def test_a_bad_seed_row_is_named_and_nothing_is_written(
    tmp_path: Path, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message) as err:
        load_catalogue(_write(tmp_path, _one_item(**overrides)))
    assert "TEST-1" in err.value.message
    assert not Category.objects.exists()
    assert not Item.objects.exists()


def test_an_unknown_substitute_is_refused(tmp_path: Path) -> None:
    data = _one_item()
    data["substitutes"] = [{"need": "TEST-1", "supply": "NOT-THERE"}]
    with pytest.raises(ValidationFailed, match="substitute NOT-THERE for TEST-1"):
        load_catalogue(_write(tmp_path, data))
    assert not Item.objects.exists()


def test_command_reports_and_is_idempotent() -> None:
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "items: " in out.getvalue() and " created" in out.getvalue()
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "items: 0 created, 0 updated" in out.getvalue()


def test_command_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_catalogue", str(tmp_path / "nope.json"))
