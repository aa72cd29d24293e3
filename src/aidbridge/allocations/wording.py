"""The allocation planner's explanations in the reader's language.

The planner (pure Python, no Django) gives each line of an explanation as a reason code
and its parameters (``planning.allocation.explain.NeedExplanation.parts``); this module
words them with gettext, in the language active when the page renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SHOWN = 10


def _num(value: float, digits: int = 0) -> str:
    """Rounded as Python rounds (the planner's own text does), written the reader's way
    (Django's number_format cuts decimals instead of rounding them)."""
    text = f"{value:,.{digits}f}"
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def _percent(ratio: float) -> str:
    # Rounded as the planner's own "{:.1%}", then written the reader's way.
    return _("%(value)s%%") % {"value": _num(ratio * 100, 1)}


def _listing(parts: Iterable[Any]) -> str:
    items = [str(p) for p in parts]
    shown = ", ".join(items[:SHOWN])
    if len(items) > SHOWN:
        more = len(items) - SHOWN
        shown += ", " + ngettext("… and %(n)s more", "… and %(n)s more", more) % {"n": more}
    return shown


def _reason(reason: str) -> str:
    return {
        "own party": _("own party"),
        "only_for": _("earmarked for others"),
        "not_for": _("earmarked against this party"),
        "date": _("available too late"),
    }.get(reason, reason)


def _detail(reason: str, d: dict[str, Any]) -> str:
    if reason == "date":
        return _("%(supply)s (from %(start)s, needed by %(end)s)") % {
            "supply": d["supply"],
            "start": d["from"],
            "end": d["needed_by"],
        }
    if reason == "only_for":
        return _("%(supply)s (only for %(parties)s)") % {
            "supply": d["supply"],
            "parties": ", ".join(d["only_for"]),
        }
    if reason == "own party":
        return f"{d['supply']} ({d['party']})"
    return str(d["supply"])


def _need(p: dict[str, Any]) -> str:
    return _(
        "Need %(need)s (%(party)s, %(item)s, priority %(priority)s): "
        "%(received)s of %(quantity)s units (%(fill)s)."
    ) % {
        **p,
        "received": _num(p["received"]),
        "quantity": _num(p["quantity"]),
        "fill": _percent(p["fill"]),
    }


def _shortage_shared(p: dict[str, Any]) -> str:
    text = ngettext(
        "Bound by: a shortage shared with %(count)s other need; every compatible supply "
        "(%(supplies)s) is given out",
        "Bound by: a shortage shared with %(count)s other needs; every compatible supply "
        "(%(supplies)s) is given out",
        p["count"],
    ) % {"count": p["count"], "supplies": _listing(p["supplies"])}
    if p["higher"]:
        return text + _(", %(units)s units of it to higher-priority needs:") % {
            "units": _num(p["higher"])
        }
    return text + _(":")


def _sharer(p: dict[str, Any]) -> str:
    rank = _("higher priority") if p["higher"] else _("priority %(n)s") % {"n": p["priority"]}
    return "  " + _(
        "%(need)s (%(party)s, %(rank)s, %(fill)s filled): %(units)s units from these supplies"
    ) % {
        "need": p["need"],
        "party": p["party"],
        "rank": rank,
        "fill": _percent(p["fill"]),
        "units": _num(p["units"]),
    }


WORDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "need": _need,
    "receives": lambda p: (
        _("Receives: %(sources)s")
        % {
            "sources": _listing(
                _("%(units)s from %(supply)s") % {"units": _num(q), "supply": s}
                for s, q in p["sources"]
            )
        }
    ),
    "served": lambda p: _("Fully served."),
    "no_supply": lambda p: _("Bound by: no supply of %(item)s or of an accepted substitute.") % p,
    "all_excluded": lambda p: _(
        "Bound by: no compatible supply; every supply of the item is excluded."
    ),
    "shortage_alone": lambda p: (
        _(
            "Bound by: a shortage; every compatible supply (%(supplies)s) is given to this "
            "need in full."
        )
        % {"supplies": _listing(p["supplies"])}
    ),
    "shortage_shared": _shortage_shared,
    "sharer": _sharer,
    "more_sharers": lambda p: (
        "  " + ngettext("… and %(n)s more", "… and %(n)s more", p["count"]) % {"n": p["count"]}
    ),
    "rounding": lambda p: _(
        "Bound by: whole units (the fair share is fractional; less than one unit off)."
    ),
    "fair_share": lambda p: (
        _("Fair share (fractional leximin optimum): %(units)s units.")
        % {"units": _num(p["target"], 2)}
    ),
    "excluded": lambda p: (
        _("Excluded, %(reason)s: %(supplies)s")
        % {
            "reason": _reason(p["reason"]),
            "supplies": _listing(_detail(p["reason"], d) for d in p["supplies"]),
        }
    ),
}


def worded(parts: list[Any]) -> str:
    """An explanation (list of ``[code, params]``) as lines in the active language."""
    return "\n".join(WORDS[code](params) for code, params in parts)
