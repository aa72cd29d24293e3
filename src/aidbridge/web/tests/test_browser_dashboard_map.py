"""The dashboard's map of flows, measured in Chromium on the demo: framed on the
affected area although the United States donates (Italy is not a speck on a world
map), and no nation's code drawn over another's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from aidbridge.demo.loader import load_demo
from aidbridge.demo.scenario import CRISIS_CODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOXES_JS = """() => {
  const svg = document.querySelector('.dashboard-map svg');
  const frame = svg.getBoundingClientRect();
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: el.textContent}; };
  const italy = document.querySelector(".dashboard-map path[data-nation='ITA']");
  return {frame: box(svg), italy: box(italy),
          labels: [...svg.querySelectorAll('text.map-label')].map(box),
          flows: [...svg.querySelectorAll('g.flow')].map(g => g.dataset.from + '>' + g.dataset.to)};
}"""


def _intersect(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_the_map_is_framed_on_the_affected_area_with_labels_apart(
    open_page: Callable[..., Any], width: int
) -> None:
    load_demo()
    page = open_page(get_user_model().objects.get(username="duty"), width=width)
    page.goto(f"/crises/{CRISIS_CODE}/")
    found = page.evaluate(BOXES_JS)
    frame, italy, labels = found["frame"], found["italy"], found["labels"]
    assert "USA>ITA" in found["flows"]  # a donor across the Atlantic...
    # ...and still Italy takes a good part of the map (about a fifteenth on a world map).
    assert italy["right"] - italy["left"] >= 0.12 * (frame["right"] - frame["left"])
    codes = {label["text"] for label in labels}
    assert {"ITA", "ESP", "CZE", "USA", "DEU", "AUT", "TUR"} <= codes
    for label in labels:
        assert frame["left"] <= label["left"] and label["right"] <= frame["right"] + 0.5, label
        assert frame["top"] <= label["top"] and label["bottom"] <= frame["bottom"] + 0.5, label
    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if _intersect(a, b)
    ]
    assert not clashes
    assert not page.console_errors
