"""A sitrep read in French is French from its letterhead down: the centre's French
name, the roles of who wrote and approved it, the French narrative first and the
English after it (and the other way round in English)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from aidbridge.sitreps.render import render_html
from aidbridge.sitreps.tests.test_render import publish

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_each_reader_gets_their_language_first(
    users: dict[str, Any], crisis: Any, first_state: Any
) -> None:
    users["duty"].first_name, users["duty"].last_name = "Anna", "Berg"
    users["duty"].save()
    sitrep = publish(
        users, crisis, "Hospitals in Lombardy are saturated.", "Les hôpitaux sont saturés."
    )
    fr, en = _text(render_html(sitrep, "fr")), _text(render_html(sitrep, "en"))

    centre_fr = "Centre euro-atlantique de coordination des réactions en cas de catastrophe"
    assert centre_fr in fr and "Euro-Atlantic Disaster Response" not in fr
    assert "Euro-Atlantic Disaster Response Coordination Centre" in en and centre_fr not in en
    assert "Officier de permanence du centre : Anna Berg" in fr  # split() took the NBSP
    assert "Chef du centre : " in fr and "Head of centre" not in fr
    assert "Centre duty officer: Anna Berg" in en

    # The reader's language first, the other after it, marked as such.
    assert fr.index("Les hôpitaux sont saturés.") < fr.index("Hospitals in Lombardy")
    assert en.index("Hospitals in Lombardy") < en.index("Les hôpitaux sont saturés.")
    assert 'class="translation" lang="en"' in render_html(sitrep, "fr")
    assert 'class="translation" lang="fr"' in render_html(sitrep, "en")


def test_a_narrative_written_in_one_language_only_is_shown_once(
    users: dict[str, Any], crisis: Any, first_state: Any
) -> None:
    sitrep = publish(users, crisis, "Only English was written.")
    fr = render_html(sitrep, "fr")
    assert _text(fr).count("Only English was written.") == 1
    assert 'class="translation"' not in fr.split("<h2>2.")[0]
