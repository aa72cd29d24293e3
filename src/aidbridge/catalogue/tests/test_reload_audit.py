"""A catalogue reload that changes items writes who changed what, old and new values,
in the reload's own transaction: weights and volumes drive both planners."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.sentences import sentences
from aidbridge.catalogue.models import Item
from aidbridge.catalogue.services import CATALOGUE_SEED, load_catalogue
from aidbridge.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _seed_with(tmp_path: Path, **edits: dict[str, Any]) -> Path:
    """The shipped seed with ``edits`` (item code -> fields) applied, as a new file."""
    seed = json.loads(CATALOGUE_SEED.read_text(encoding="utf-8"))
    for row in seed["items"]:
        row.update(edits.get(row["code"].replace("-", "_"), {}))
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path


def _entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="catalogue_item.update").order_by("pk"))


def test_a_reload_audits_each_changed_item_with_old_and_new_values(
    tmp_path: Path, users: dict[str, Any]
) -> None:
    load_catalogue()
    assert _entries() == []  # the first load creates; nothing existing changed
    path = _seed_with(
        tmp_path,
        VENT_ICU={"unit_weight_kg": "42.5", "unit_volume_m3": "0.3"},
        MASK_SURG={"name_en": "Surgical mask (type IIR, boxed)"},
    )
    report = load_catalogue(path, actor=users["duty"])
    assert report.counts["items"]["updated"] == 2
    by_item = {e.target_repr: e for e in _entries()}
    assert set(by_item) == {"VENT-ICU", "MASK-SURG"}
    vent, mask = by_item["VENT-ICU"], by_item["MASK-SURG"]
    assert vent.target_id == Item.objects.get(code="VENT-ICU").pk
    assert vent.changes == {
        "unit_weight_kg": ["40", "42.5"],
        "unit_volume_m3": ["0.25", "0.3"],
    }
    assert mask.changes == {
        "name_en": ["Surgical mask (type IIR)", "Surgical mask (type IIR, boxed)"]
    }
    assert vent.actor == users["duty"] and vent.actor_party is not None
    assert vent.actor_party.code == "EADRCC"
    with translation.override("en"):
        (_, said), _mask = sentences([vent, mask])
    assert said == (
        "The centre changed the catalogue item VENT-ICU: "
        "unit weight 40 \u2192 42.5 kg, unit volume 0.25 \u2192 0.3 m\u00b3"
    )
    with translation.override("fr"):
        (_, dit), (_, masque) = sentences([vent, mask])
    assert dit == (
        "Le centre : modification de l\u2019article du catalogue VENT-ICU "
        "(poids unitaire 40 \u2192 42,5 kg, volume unitaire 0,25 \u2192 0,3 m\u00b3)"
    )
    assert masque.endswith("MASK-SURG (nom anglais)")

    # Loading the same file again changes nothing and says nothing.
    load_catalogue(path)
    assert len(_entries()) == 2


def test_a_reload_by_the_command_line_is_the_system_s(tmp_path: Path) -> None:
    load_catalogue()
    load_catalogue(_seed_with(tmp_path, VENT_ICU={"unit_weight_kg": "41"}))
    (entry,) = _entries()
    assert entry.actor is None and entry.actor_party is None
    with translation.override("en"):
        assert sentences([entry])[0][1].startswith("The system changed the catalogue item")


def test_a_refused_reload_leaves_neither_the_change_nor_its_entry(tmp_path: Path) -> None:
    load_catalogue()
    path = _seed_with(tmp_path, VENT_ICU={"unit_weight_kg": "55"}, MASK_SURG={"unit": "bogus"})
    with pytest.raises(ValidationFailed, match="unknown unit"):
        load_catalogue(path)
    assert str(Item.objects.get(code="VENT-ICU").unit_weight_kg) == "40.0000"
    assert _entries() == []
