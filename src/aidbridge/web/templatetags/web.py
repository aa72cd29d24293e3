"""Template helpers: quantities formatted for the active language, names in it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def qty(value: Any) -> str:
    """A quantity with the language's digit grouping (1,500 / 1 500)."""
    if value is None or value == "":
        return "\u2013"
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def percent(value: Any) -> str:
    """A ratio (0.5) as a whole percentage in the language's style (50 % in French)."""
    if value is None:
        return "\u2013"
    pct = number_format(round(float(value) * 100), decimal_pos=0, force_grouping=True)
    return f"{pct}\u202f%" if (get_language() or "en").startswith("fr") else f"{pct}%"


@register.filter
def local_name(obj: Any) -> str:
    """``name_fr`` or ``name_en`` of a party, crisis, category or item."""
    if obj is None:
        return ""
    french = (get_language() or "en").startswith("fr")
    return str(getattr(obj, "name_fr" if french else "name_en", None) or obj)
