"""Django's ``{# … #}`` comments end on their line: one spread over several lines is
printed on the page as text (it happened twice, on the airlift page and the request
form). Longer comments take ``{% comment %}``."""

from __future__ import annotations

from pathlib import Path

import aidbridge

ROOT = Path(aidbridge.__file__).resolve().parent


def test_no_template_comment_spans_lines() -> None:
    spread = []
    for path in sorted(ROOT.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            start = line.find("{#")
            if start != -1 and "#}" not in line[start:]:
                spread.append(f"{path.relative_to(ROOT)}:{number}")
    assert spread == []
