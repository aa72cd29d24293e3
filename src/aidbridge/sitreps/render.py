"""Rendering a sitrep in English or French, as an HTML document and as a PDF.

One template serves both: WeasyPrint lays the same HTML out on A4 pages, and the charts
and the map are inline SVG made on the server, so neither needs JavaScript or a network.
"""

from __future__ import annotations

import base64
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from aidbridge.accounts.models import Role
from aidbridge.core import worldmap
from aidbridge.core.errors import ValidationFailed
from aidbridge.parties.models import Party
from aidbridge.sitreps import charts, summary
from aidbridge.sitreps.dtg import dtg
from aidbridge.sitreps.labels import LANGUAGES, Labels, label
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.selectors import figures_of, previous_published


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValidationFailed(
            gettext("language must be one of %(value)s") % {"value": ", ".join(LANGUAGES)},
            field="lang",
        )
    return lang


def _number(value: float | int, lang: str) -> str:
    with translation.override(lang):
        return str(formats.number_format(value, use_l10n=True, force_grouping=True))


def _percent(ratio: float, lang: str) -> str:
    value = _number(round(ratio * 100), lang)
    return f"{value}\u00a0%" if lang == "fr" else f"{value}%"


def _date(value: date | str | None, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    with translation.override(lang):
        return str(formats.date_format(value, "j F Y"))


def _datetime(value: datetime, lang: str) -> str:
    utc = value.astimezone(UTC)
    return f"{_date(utc.date(), lang)} {utc:%H:%M} UTC"


def _person(user: Any, lang: str) -> str:
    """The person and their role in ``lang`` ("Officier de permanence : Anna Berg")."""
    if user is None:
        return "—"
    name = user.get_full_name() or user.get_username()
    profile = getattr(user, "profile", None)
    if profile is None:
        return name
    with translation.override(lang):
        role = str(Role(profile.role).label)
    return f"{role}{label('colon', lang)}{name}"


def from_line(stored: str, lang: str) -> str:
    """The sending centre in ``lang``: drafted as the centre's English name, shown in
    the reader's language while the officer has not rewritten it."""
    party = Party.objects.filter(name_en=stored).only("name_en", "name_fr").first()
    if party is None or lang == "en":
        return stored
    return party.name_fr or stored


def to_line(stored: str, lang: str) -> str:
    """The addressees in ``lang``. The line is stored as drafted, in English, and the
    officer may rewrite it; only the generated wording ("National points of contact:
    AUT, BEL") is translated, the nations' codes being the same in both languages."""
    prefix = label("to_pocs", "en") + ":"
    if lang != "en" and stored.startswith(prefix):
        return label("to_pocs", lang) + "\u00a0:" + stored[len(prefix) :]
    return stored


def sitrep_context(sitrep: Sitrep, lang: str) -> dict[str, Any]:
    """Everything the template shows, already localised."""
    lang = check_language(lang)
    fig = figures_of(sitrep)
    parties, items = fig["parties"], fig["items"]

    def party(code: str) -> str:
        return parties.get(code, {}).get(lang, code)

    def item(code: str) -> str:
        return items.get(code, {}).get(lang, code)

    def num(v: float | int) -> str:
        return _number(v, lang)

    # Row keys are lists in the JSON snapshot (tuples here); RFAs are keyed by reference.
    changed: dict[str, set[Any]] = {
        name: {k if isinstance(k, str) else tuple(k) for k in keys}
        for name, keys in fig["changes"].items()
    }
    requests = [
        {
            **r,
            "nation_name": party(r["nation"]),
            "item_name": item(r["item"]),
            "unit": items.get(r["item"], {}).get("unit", ""),
            "bold": (r["nation"], r["item"]) in changed["requests"],
            "n": {
                k: num(r[k])
                for k in (
                    "requested",
                    "offered",
                    "accepted",
                    "dispatched",
                    "delivered",
                    "outstanding",
                )
            },
            "coverage_text": _percent(r["coverage"], lang),
            "needed_by_text": _date(r["needed_by"], lang) if r["needed_by"] else "—",
        }
        for r in fig["requests"]
    ]
    # Patient transfers (items counted in patients): their delivered figure is the
    # ledger's "patients transferred" (hospitals.tracking), stated once in words.
    patient_rows = [r for r in requests if r["unit"] == "patient"]
    patients = (
        label("patients_line", lang).format(
            delivered=num(sum(r["delivered"] for r in patient_rows)),
            requested=num(sum(r["requested"] for r in patient_rows)),
            accepted=num(sum(r["accepted"] for r in patient_rows)),
        )
        if patient_rows
        else ""
    )
    assistance = [
        {
            **a,
            "donor_name": party(a["donor"]),
            "item_name": item(a["item"]),
            "to_names": ", ".join(party(c) for c in a["to"]) or "—",
            "bold": (a["donor"], a["item"]) in changed["assistance"],
            "n": {
                k: num(a[k]) for k in ("offered", "accepted", "dispatched", "delivered", "standing")
            },
        }
        for a in fig["assistance"]
    ]
    transport = [
        {
            **t,
            "donor_name": party(t["donor"]),
            "nation_name": party(t["nation"]),
            "mode_name": label(f"mode_{t['mode']}", lang),
            "bold": (t["donor"], t["nation"], t["mode"]) in changed["transport"],
        }
        for t in fig["transport"]
    ]
    outstanding = sorted(
        (r for r in requests if r["outstanding"] > 0),
        key=lambda r: (r["priority"], r["needed_by"] or "9999", r["nation"], r["item"]),
    )
    rfas = [
        {
            **r,
            "nation_name": party(r["nation"]),
            "status_text": label(f"status_{r['status']}", lang)
            + (f" ({label('closure_' + r['closure'], lang)})" if r["closure"] else ""),
            "bold": r["ref"] in changed["rfas"],
        }
        for r in fig["rfas"]
    ]
    # Escalations and repeats, in words (snapshots before them have neither key).
    rfa_links = [
        label("escalated_by", lang).format(ref=r["ref"], by=", ".join(r["escalated_by"]))
        for r in rfas
        if r.get("escalated_by")
    ] + [
        label("repeats", lang).format(ref=r["ref"], earlier=r["repeats"])
        for r in rfas
        if r.get("repeats")
    ]
    # Per requesting nation rather than one row per RFA: a large crisis has a thousand.
    rfa_nations: dict[str, dict[str, Any]] = {}
    for r in rfas:
        n = rfa_nations.setdefault(
            r["nation"],
            {
                "nation": r["nation"],
                "nation_name": r["nation_name"],
                "open": 0,
                "closed": 0,
                "rfas": [],
                "bold": False,
            },
        )
        n["open" if r["status"] == "circulated" else "closed"] += 1
        n["rfas"].append(r)
        n["bold"] = n["bold"] or r["bold"]
    previous = previous_published(sitrep.crisis, before=sitrep)
    if sitrep.is_published:
        previous_note = (
            label("latest_in_bold", lang).format(previous=previous.message_number)
            if previous
            else label("first_report", lang)
        )
    else:
        previous_note = (
            label("latest_in_bold", lang).format(previous=previous.message_number)
            if previous and previous.pk != sitrep.pk
            else label("first_report", lang)
        )
    free_text = {
        "general_situation": (
            sitrep.general_situation,
            sitrep.general_situation_fr,
        ),
        "assessment": (sitrep.assessment, sitrep.assessment_fr),
    }
    names = {code: party(code) for code in parties}
    more = label("and_more", lang)
    return {
        "lang": lang,
        "L": Labels(lang),
        "sitrep": sitrep,
        "crisis_name": fig["crisis"][lang],
        "marking": f"{sitrep.marking_en} / {sitrep.marking_fr}",
        "dtg": dtg(sitrep.published_at) if sitrep.published_at else None,
        "published_text": _datetime(sitrep.published_at, lang) if sitrep.published_at else None,
        "as_of_text": _datetime(datetime.fromisoformat(fig["as_of"]), lang),
        "originator": _person(sitrep.originator, lang),
        "from_line": from_line(sitrep.from_line, lang),
        "originator_email": sitrep.originator.email,
        "approved_by": _person(sitrep.approved_by, lang),
        "previous_note": previous_note,
        # The reader's language first, the other after (either may be missing).
        "other_lang": "en" if lang == "fr" else "fr",
        "free_text": {
            k: {"text": (fr or en), "translation": (en if fr else "")}
            if lang == "fr"
            else {"text": (en or fr), "translation": (fr if en else "")}
            for k, (en, fr) in free_text.items()
        },
        "rfas": rfas,
        "rfa_links": rfa_links,
        "rfa_nations": sorted(rfa_nations.values(), key=lambda n: n["nation_name"]),
        "requests": requests,
        "patients": patients,
        "assistance": assistance,
        "outstanding": outstanding,
        "outstanding_top": outstanding[: summary.OUTSTANDING_IN_BODY],
        "outstanding_more": max(0, len(outstanding) - summary.OUTSTANDING_IN_BODY),
        "transport": transport,
        "nations": summary.by_requesting_nation(
            requests, rfas, fig["by_nation"], lambda v: _percent(v, lang)
        ),
        "donors": summary.by_assisting_nation(
            assistance, transport, fig["flows"], party, num, label("items_more", lang)
        ),
        "modes": summary.by_mode(transport),
        "outstanding_more_text": more.format(
            n=_number(max(0, len(outstanding) - summary.OUTSTANDING_IN_BODY), lang)
        ),
        "to_line": to_line(sitrep.to_line, lang),
        "contacts": [{**c, "nation_name": party(c["nation"])} for c in fig["contacts"]],
        "coverage_svg": mark_safe(charts.coverage_chart(fig["by_nation"], names, lang)),
        "deliveries_svg": mark_safe(charts.deliveries_chart(fig["deliveries_by_day"], lang)),
        "map_svg": mark_safe(
            worldmap.flow_map(
                fig["flows"],
                {r["nation"] for r in fig["requests"]},
                {a["donor"] for a in fig["assistance"]},
                {key: label(key, lang) for key in worldmap.FLOW_MAP_LABELS},
            )
        ),
    }


CSS_PATH = Path(__file__).parent / "static" / "sitreps" / "sitrep.css"


def _as_image(svg: str) -> SafeString:
    if not svg.startswith("<svg"):
        return mark_safe(svg)  # e.g. the note that the map data is not installed
    data = base64.b64encode(svg.encode()).decode()
    return mark_safe(f'<img alt="" src="data:image/svg+xml;base64,{data}">')


PARTS = {"body": "sitreps/sitrep_document.html", "annex": "sitreps/sitrep_annex.html"}


def check_part(part: str) -> str:
    if part not in PARTS:
        raise ValidationFailed(
            gettext("part must be one of %(value)s") % {"value": ", ".join(PARTS)}, field="part"
        )
    return part


def render_html(
    sitrep: Sitrep,
    lang: str,
    *,
    part: str = "body",
    standalone: bool = True,
    nav: str = "",
    annex_url: str = "",
    svg_as_images: bool = False,
) -> SafeString:
    """The sitrep (``part="body"``) or its annex of per-line tables as an HTML document.

    ``standalone`` inlines the stylesheet (a downloaded file, the PDF); the pages link
    it instead, as their Content-Security-Policy allows no inline style. ``annex_url``
    makes the body's references to the annex links. ``svg_as_images`` (for the PDF)
    embeds the charts and the map as images: WeasyPrint then neither tokenises their
    thousands of path points as HTML nor computes CSS for each SVG node, about a fifth
    of the time of a sitrep PDF.
    """
    template = PARTS[check_part(part)]
    context = sitrep_context(sitrep, lang)
    if svg_as_images:
        for key in ("coverage_svg", "deliveries_svg", "map_svg"):
            context[key] = _as_image(context[key])
    context["inline_css"] = mark_safe(CSS_PATH.read_text()) if standalone else ""
    context["nav"] = nav
    context["annex_url"] = annex_url
    with translation.override(lang):
        return mark_safe(render_to_string(template, context))


def render_pdf(sitrep: Sitrep, lang: str, *, part: str = "body") -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    # WeasyPrint logs each layout step at INFO; a server renders many PDFs.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    html = render_html(sitrep, lang, part=part, svg_as_images=True)
    pdf = HTML(string=str(html), base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def filename(sitrep: Sitrep, lang: str, ext: str, *, part: str = "body") -> str:
    stem = sitrep.message_number or f"draft-{sitrep.pk}"
    safe = "".join(c if c.isalnum() else "-" for c in stem).strip("-")
    suffix = "-annex" if part == "annex" else ""
    return f"{sitrep.crisis.code}-{safe}{suffix}-{lang}.{ext}"
