"""Units with a quantity, in each language's plural rule: "1 pallet", "2 pallets";
French counts 0 and 1 as singular ("1 palette", "2 palettes", "0 pièce")."""

from __future__ import annotations

import pytest
from django.utils import translation

from aidbridge.catalogue.models import Unit
from aidbridge.catalogue.units import unit_name, with_unit


@pytest.mark.parametrize(
    ("lang", "quantity", "expected"),
    [
        ("en", 1, "1\u00a0pallet"),
        ("en", 2, "2\u00a0pallets"),
        ("fr", 1, "1\u00a0palette"),
        ("fr", 2, "2\u00a0palettes"),
        ("fr", 0, "0\u00a0palette"),
        ("en", 1500, "1,500\u00a0pallets"),
        ("fr", 1500, "1\u00a0500\u00a0palettes"),
    ],
)
def test_pallets(lang: str, quantity: int, expected: str) -> None:
    with translation.override(lang):
        assert with_unit(quantity, "pallet") == expected


def test_every_catalogue_unit_has_both_forms_in_french() -> None:
    with translation.override("fr"):
        for code in Unit.values:
            # Every unit has a French entry (same spelling only where French agrees).
            assert unit_name(code, 1) != code or code in {"kit", "kg", "patient", "litre", "tonne"}
            assert unit_name(code, 2).endswith("s") or code == "kg", code
        assert unit_name("piece", 1) == "pièce" and unit_name("piece", 3) == "pièces"
        assert unit_name("bed", 2) == "lits" and unit_name("no-such-unit", 2) == "no-such-unit"
    with translation.override("en"):
        assert unit_name("box", 2) == "boxes" and unit_name("piece", 1) == "piece"
