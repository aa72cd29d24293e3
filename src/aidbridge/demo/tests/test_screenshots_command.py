"""``aidbridge screenshots OUTDIR`` against a live server on the demo: twelve PNGs
(three pages, two widths, two languages) of the right size, each of the page and in
the language it claims, and the phone pictures no wider than the phone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from PIL import Image, ImageChops

from aidbridge.requests.models import RequestForAssistance as RFA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {
    ("dashboard", "en"): "Dashboard · COVID-19 pandemic 2020",
    ("dashboard", "fr"): "Tableau de bord · Pandémie de COVID-19 (2020)",
    ("airlift", "en"): "Airlift · COVID-19 pandemic 2020",
    ("airlift", "fr"): "Transport aérien · Pandémie de COVID-19 (2020)",
}


def test_the_command_writes_every_page_at_both_widths_in_both_languages(
    live_server: Any, tmp_path: Path
) -> None:
    call_command("screenshots", str(tmp_path), "--url", live_server.url)

    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert sorted((s["page"], s["language"], s["width"]) for s in index) == sorted(
        (page, lang, width)
        for page in ("dashboard", "request", "airlift")
        for lang in ("en", "fr")
        for width in (1366, 390)
    )
    italy = RFA.objects.get(requester__code="ITA", title__startswith="Ventilators")
    for shot in index:
        image = Image.open(tmp_path / shot["file"])
        assert image.format == "PNG"
        # The whole page: as wide as the window (nothing sticks out on a phone), and at
        # least a screen high.
        assert image.size == (shot["width"], shot["height"]) and shot["width"] in (1366, 390)
        assert image.size[1] >= 900
        assert len(image.getcolors(maxcolors=1_000_000) or []) > 50  # a page, not a blank
        expected = TITLES.get((shot["page"], shot["language"]))
        if expected:
            assert shot["title"].startswith(expected), shot
        else:
            assert shot["title"].startswith(f"{italy.reference} · {italy.title}"), shot
            assert shot["heading"] == italy.title

    def picture(page: str, lang: str, width: int) -> Image.Image:
        return Image.open(tmp_path / f"{page}-{lang}-{width}.png").convert("RGB")

    for page in ("dashboard", "request", "airlift"):
        english, french = picture(page, "en", 390), picture(page, "fr", 390)
        size = (390, min(english.size[1], french.size[1]))
        top_en, top_fr = english.crop((0, 0, *size)), french.crop((0, 0, *size))
        assert ImageChops.difference(top_en, top_fr).getbbox() is not None, page
