"""Catalogue units with a quantity, in the active language and its plural rules
("1 palette", "2 palettes"; French counts 0 and 1 as singular)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.translation import npgettext

# One function per unit, so that makemessages sees every singular/plural pair.
_UNITS: dict[str, Callable[[int], str]] = {
    "piece": lambda n: npgettext("quantity", "piece", "pieces", n),
    "pair": lambda n: npgettext("quantity", "pair", "pairs", n),
    "box": lambda n: npgettext("quantity", "box", "boxes", n),
    "kit": lambda n: npgettext("quantity", "kit", "kits", n),
    "kg": lambda n: npgettext("quantity", "kg", "kg", n),
    "litre": lambda n: npgettext("quantity", "litre", "litres", n),
    "tonne": lambda n: npgettext("quantity", "tonne", "tonnes", n),
    "bed": lambda n: npgettext("quantity", "bed", "beds", n),
    "patient": lambda n: npgettext("quantity", "patient", "patients", n),
    "team": lambda n: npgettext("quantity", "team", "teams", n),
    "flight": lambda n: npgettext("quantity", "flight", "flights", n),
    "pallet": lambda n: npgettext("quantity", "pallet", "pallets", n),
}


def unit_name(code: str, quantity: int | float = 1) -> str:
    """The unit's name for ``quantity`` (an unknown code is shown as it is)."""
    word = _UNITS.get(code)
    return word(int(quantity)) if word is not None else code


def with_unit(quantity: int | float, code: str) -> str:
    """``quantity`` grouped as the language writes numbers, then its unit."""
    number = number_format(quantity, use_l10n=True, force_grouping=True)
    return f"{number}\u00a0{unit_name(code, quantity)}"
