"""Template helpers: quantities formatted for the active language, names in it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from aidbridge.audit.sentences import sentences
from aidbridge.catalogue.units import unit_name

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


@register.filter
def worklist_label(kind: str, rows: Any) -> str:
    """A worklist and how many wait in it ("2 requests to validate")."""
    n = len(rows)
    labels = {
        "to_validate": ngettext("%(n)d request to validate", "%(n)d requests to validate", n),
        "to_decide": ngettext(
            "%(n)d offer awaiting your decision", "%(n)d offers awaiting your decision", n
        ),
        "to_confirm_proposal": ngettext(
            "%(n)d proposed offer to confirm", "%(n)d proposed offers to confirm", n
        ),
        "to_dispatch": ngettext(
            "%(n)d accepted offer line to dispatch", "%(n)d accepted offer lines to dispatch", n
        ),
        "to_confirm": ngettext("%(n)d delivery to confirm", "%(n)d deliveries to confirm", n),
        "to_publish": ngettext("%(n)d sitrep to publish", "%(n)d sitreps to publish", n),
        "to_approve": ngettext(
            "%(n)d airlift plan to approve", "%(n)d airlift plans to approve", n
        ),
        "to_report": ngettext("%(n)d sortie to report", "%(n)d sorties to report", n),
    }
    return labels[kind] % {"n": n}


@register.filter
def history(entries: Any) -> list[tuple[Any, str]]:
    """Audit entries with their sentences (``audit.sentences``), for ``_timeline.html``."""
    return sentences(entries or [])


@register.filter
def decision_summary(entry: Any) -> str:
    """What an accept or decline on an offer line did, in quantities ("Declined 10 of 30;
    20 accepted"): its status alone misleads after a partial decision (a decline that
    leaves the line accepted). Empty for other entries, which show their states."""
    if entry.action not in ("offer_line.accept", "offer_line.decline"):
        return ""
    changes = entry.changes or {}
    pair = changes.get("accepted" if entry.action == "offer_line.accept" else "declined")
    n = qty(int(pair[1]) - int(pair[0])) if pair else "\u2013"
    line = changes.get("line")  # the line after the decision (older entries lack it)
    if entry.action == "offer_line.accept":
        if not line:
            return _("Accepted %(n)s") % {"n": n}
        left = line["offered"] - line["accepted"] - line["declined"]
        return _("Accepted %(n)s of %(offered)s; %(left)s still awaiting decision") % {
            "n": n,
            "offered": qty(line["offered"]),
            "left": qty(left),
        }
    if not line:
        return _("Declined %(n)s") % {"n": n}
    return _("Declined %(n)s of %(offered)s; %(accepted)s accepted") % {
        "n": n,
        "offered": qty(line["offered"]),
        "accepted": qty(line["accepted"]),
    }


@register.filter
def subtract(value: Any, other: Any) -> int:
    return int(value or 0) - int(other or 0)


@register.filter
def aria_invalid(field: Any) -> Any:
    """Render a bound field marked invalid and tied to its error message."""
    return field.as_widget(
        attrs={"aria-invalid": "true", "aria-describedby": f"{field.auto_id}-error"}
    )


@register.filter
def with_list(field: Any, list_id: str) -> Any:
    """The item field with the catalogue's datalist (search by code or EN/FR name)."""
    attrs = {"list": list_id, "autocomplete": "off"}
    if field.errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{field.auto_id}-error"})
    return field.as_widget(attrs=attrs)


@register.filter
def unit_label(code: str, quantity: int | float = 1) -> str:
    """A catalogue unit in the active language, for ``quantity`` ("1 pièce",
    "2 pièces": ``{{ line.unit|unit_label:line.quantity }}``)."""
    return unit_name(code, quantity)


@register.filter
def moment(value: Any) -> Any:
    """An ISO 8601 stamp as stored in a plan's JSON ("2020-03-27T08:00:00Z") as a
    datetime, for the ``date`` filter to write in the reader's format; anything else
    as it is (empty stays empty)."""
    if not isinstance(value, str) or not value:
        return value
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value


@register.filter
def hours_minutes(value: Any) -> str:
    """Hours as a duration the reader takes in at a glance: 12.5 -> "12 h 30 min"."""
    try:
        minutes = round(float(value) * 60)
    except (TypeError, ValueError):
        return ""
    return _("%(h)s h %(m)02d min") % {"h": qty(minutes // 60), "m": minutes % 60}
