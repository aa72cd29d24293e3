"""Rendering: the PDF's text holds the right figures in the right language; bold marks
exactly what changed since the previous published sitrep."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from aidbridge.sitreps import summary
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.render import render_html, render_pdf
from aidbridge.sitreps.services import draft_sitrep, publish_sitrep, update_sitrep_text

pytestmark = pytest.mark.django_db


def publish(users: dict[str, Any], crisis: Any, text: str = "Situation.", fr: str = "") -> Sitrep:
    draft = draft_sitrep(users["duty"], crisis)
    update_sitrep_text(
        users["duty"],
        draft,
        general_situation=text,
        general_situation_fr=fr,
        assessment="Needs remain high.",
    )
    return publish_sitrep(users["head"], draft)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sitrep.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    # Table cells wrap at different places in each layout: compare words, not lines.
    return re.sub(r"\s+", " ", out.replace("\u00a0", " ").replace("\u202f", " "))


def rows(html: str, table: str) -> list[str]:
    section = html.split(f'<table class="{table}">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr(?: class="changed")? data-row="([^"]+)"', section)


def bold_rows(html: str, table: str) -> set[str]:
    section = html.split(f'<table class="{table}">', 1)[1].split("</table>", 1)[0]
    return set(re.findall(r'<tr class="changed" data-row="([^"]+)"', section))


def test_pdf_in_english_and_french(
    users: dict[str, Any], crisis: Any, first_state: Any, tmp_path: Path
):
    sitrep = publish(
        users,
        crisis,
        "Hospitals in Lombardy are saturated.",
        "Les hôpitaux de Lombardie sont saturés.",
    )
    pdf = render_pdf(sitrep, "en")
    assert pdf.startswith(b"%PDF")
    en = pdf_text(pdf, tmp_path)
    assert str(sitrep.message_number) in en
    assert "NON-CLASSIFIED / NON CLASSIFIÉ" in en
    assert "General situation" in en and "Outstanding needs" in en
    assert "Hospitals in Lombardy are saturated." in en
    assert "Annex A — detailed tables" in en
    assert re.search(r"National points of contact: [A-Z]{3}, ", en)
    # Per requesting nation: open and closed RFAs, items, mean coverage accepted and
    # delivered over the lines, items outstanding. Italy: ventilators 0 %, masks
    # 30,000 of 100,000 accepted (30 %): 15 % on average, nothing delivered yet.
    assert re.search(r"Italy\s+1\s+0\s+2\s+15%\s+0%\s+2", en)
    # Spain: 50 of 100 ventilators accepted and delivered, no suits: 25 % and 25 %.
    assert re.search(r"Spain\s+1\s+0\s+2\s+25%\s+25%\s+2", en)
    # Per assisting nation: Germany's 50 ventilators (30 kg each) to Spain, one shipment
    # received; Türkiye's 30,000 accepted masks (4 g each) not shipped yet.
    assert re.search(r"Germany\s+ICU ventilator\s+Spain\s+1.5\s+1\s+0\s+1", en)
    assert re.search(r"Türkiye\s+Surgical mask\s+Italy\s+0.1\s+0\s+0\s+0", en)
    assert re.search(r"Italy\s+Surgical mask\s+70,000\s+2", en)  # outstanding, priority 2

    # The annex holds every per-line figure, frozen with the sitrep.
    annex = pdf_text(render_pdf(sitrep, "en", part="annex"), tmp_path)
    assert "Annex A to" in annex and str(sitrep.message_number) in annex
    # Italy asked 100,000 masks; Türkiye offered 40,000 and 30,000 were accepted.
    assert re.search(r"Italy\s+Surgical mask\s+100,000\s+40,000\s+30,000\s+0\s+0\s+30%", annex)
    # Spain's 50 German ventilators arrived.
    assert re.search(r"Spain\s+ICU ventilator\s+100\s+50\s+50\s+50\s+50\s+50%", annex)
    assert re.search(r"Germany\s+ICU ventilator\s+Spain\s+50\s+50\s+50\s+50\s+0", annex)

    fr = pdf_text(render_pdf(sitrep, "fr"), tmp_path)
    assert "Situation générale" in fr and "Besoins non couverts" in fr
    assert "Annexe A — tableaux détaillés" in fr
    assert re.search(r"Points de contact nationaux : [A-Z]{3}, ", fr)
    assert "National points of contact" not in fr
    assert "Les hôpitaux de Lombardie sont saturés." in fr
    assert re.search(r"Italie\s+1\s+0\s+2\s+15 %\s+0 %\s+2", fr)
    assert re.search(r"Allemagne\s+Respirateur de réanimation\s+Espagne\s+1,5\s+1\s+0\s+1", fr)
    assert re.search(r"Italie\s+Masque chirurgical\s+70 000\s+2", fr)
    assert "Surgical mask" not in fr and "General situation" not in fr
    annex_fr = pdf_text(render_pdf(sitrep, "fr", part="annex"), tmp_path)
    assert re.search(
        r"Italie\s+Masque chirurgical\s+100 000\s+40 000\s+30 000\s+0\s+0\s+30 %", annex_fr
    )
    assert "Surgical mask" not in annex_fr and "Requested" not in annex_fr


def test_bold_marks_exactly_the_changes_since_the_previous(
    users: dict[str, Any], crisis: Any, world: Any, first_state: Any
):
    first = publish(users, crisis)
    assert bold_rows(render_html(first, "en"), "nations") == set()
    assert bold_rows(render_html(first, "en", part="annex"), "requests") == set()

    # Between the two publications: Germany offers Italy ventilators and Italy accepts;
    # Türkiye's masks to Italy are flown; a new Czech request is circulated.
    deu_ita = world.offer("DEU", first_state["ita"], "VENT-ICU", 20)
    world.accept(deu_ita, 20)
    world.dispatch(first_state["tur_ita"], 30000, mode="road")
    world.rfa("CZE", [("VENT-ICU", 150)])

    second = publish(users, crisis)
    annex = render_html(second, "en", part="annex")
    assert bold_rows(annex, "requests") == {"ITA|VENT-ICU", "ITA|MASK-SURG", "CZE|VENT-ICU"}
    assert bold_rows(annex, "assistance") == {"DEU|VENT-ICU", "TUR|MASK-SURG"}
    assert bold_rows(annex, "transport") == {"TUR|ITA|road"}
    assert bold_rows(annex, "outstanding") == {"ITA|VENT-ICU", "ITA|MASK-SURG", "CZE|VENT-ICU"}
    assert bold_rows(annex, "rfas") == {"CZE"}
    # Untouched: Spain's rows, Germany's ventilators to Spain... but DEU|VENT-ICU is one
    # row (per donor and item) and it changed through the offer to Italy.
    assert 'class="changed" data-row="ESP|VENT-ICU"' not in annex
    # The body's summaries are bold exactly where a row they sum is.
    body = render_html(second, "en")
    assert f"Latest update since {first.message_number} in BOLD." in body
    assert bold_rows(body, "nations") == {"ITA", "CZE"}
    assert bold_rows(body, "donors") == {"DEU", "TUR"}
    assert bold_rows(body, "modes") == {"road"}
    assert bold_rows(body, "outstanding") == {"ITA|VENT-ICU", "ITA|MASK-SURG", "CZE|VENT-ICU"}

    # Nothing moves between the second and the third: nothing is bold.
    third = publish(users, crisis)
    body, annex = render_html(third, "en"), render_html(third, "en", part="annex")
    for table in ("nations", "donors", "modes", "outstanding"):
        assert bold_rows(body, table) == set()
    for table in ("rfas", "requests", "assistance", "transport", "outstanding"):
        assert bold_rows(annex, table) == set()
    # The second still shows its own changes, frozen.
    assert bold_rows(render_html(second, "fr", part="annex"), "transport") == {"TUR|ITA|road"}
    assert bold_rows(render_html(second, "fr"), "modes") == {"road"}


def test_body_lists_the_most_pressing_needs_and_refers_to_the_annex(
    users: dict[str, Any], crisis: Any, first_state: Any, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(summary, "OUTSTANDING_IN_BODY", 2)
    sitrep = publish(users, crisis)
    body = render_html(sitrep, "en")
    # Four needs are open; the two priority-1 ventilator needs come first.
    assert rows(body, "outstanding") == ["ESP|VENT-ICU", "ITA|VENT-ICU"]
    assert "… and 2 more: see the annex." in body
    assert rows(render_html(sitrep, "en", part="annex"), "outstanding") == [
        "ESP|VENT-ICU",
        "ITA|VENT-ICU",
        "ESP|SUIT-PROT",
        "ITA|MASK-SURG",
    ]
    assert "… et 2 autres : voir l'annexe." in unescape(render_html(sitrep, "fr"))


def test_html_has_chart_and_map(users: dict[str, Any], crisis: Any, first_state: Any):
    html = render_html(publish(users, crisis), "fr")
    assert 'class="chart chart-coverage"' in html.replace("'", '"')
    assert "class='map'" in html
    assert "data-from='DEU' data-to='ESP'" in html
    assert "data-nation='ITA'" in html
    assert "Couverture par nation requérante" in html
