"""Screenshots of the dashboard and an RFA detail page, on a laptop and a phone.

Runs with the suite (into a temporary folder, checking the pages render without a
console error); to keep the pictures, name a folder:

    AIDBRIDGE_SCREENSHOTS=out/screenshots uv run pytest src/aidbridge/web/tests/test_screenshots.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from PIL import Image

from aidbridge.logistics import services as logistics_services
from aidbridge.offers import services as offer_services

pytestmark = pytest.mark.browser


def test_dashboard_and_rfa_detail_screenshots(
    open_page: Callable[..., Any],
    users: dict[str, Any],
    italian_rfa: Any,
    crisis: Any,
    tmp_path: Path,
) -> None:
    folder = Path(os.environ.get("AIDBRIDGE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    vent, masks = italian_rfa.lines.order_by("position")
    german = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    )
    czech = offer_services.make_offer(
        users["cze"],
        rfa=italian_rfa,
        lines=[
            {"request_line": vent.pk, "quantity": 20},
            {"request_line": masks.pk, "quantity": 40_000},
        ],
    )
    offer_services.accept_offer_line(users["ita"], german.lines.get(), 50)
    logistics_services.dispatch_offer_line(
        users["deu"], german.lines.get(), quantity=50, mode="airlift"
    )
    offer_services.accept_offer_line(users["ita"], czech.lines.get(request_line=masks), 30_000)

    shots: list[tuple[Path, int, Any]] = []
    for width, suffix in ((1280, ""), (390, "-phone")):
        page = open_page(user=users["ita"], width=width)
        for path, heading, name in (
            (f"/crises/{crisis.code}/", "Needs your action", "dashboard"),
            (f"/rfas/{italian_rfa.pk}/", "History", "rfa-detail"),
        ):
            page.goto(path)
            title = page.get_by_role("heading", name=heading)
            title.wait_for()
            shot = folder / f"{name}{suffix}.png"
            page.screenshot(path=str(shot), full_page=True)
            shots.append((shot, width, title.bounding_box()))
        assert page.console_errors == []
    for shot, width, box in shots:
        with Image.open(shot) as image:
            assert image.format == "PNG"
            # As wide as the window: nothing pushes the page sideways (on a phone, a
            # wide table or form would make the whole page scroll horizontally).
            assert image.width == width, (shot.name, image.size)
            assert image.height >= 900
            # The heading the test waited for is drawn where the page put it: its box
            # holds text (more than the background's one or two colours).
            region = image.convert("L").crop(
                (
                    int(box["x"]),
                    int(box["y"]),
                    int(box["x"] + box["width"]),
                    int(box["y"] + box["height"]),
                )
            )
            # A greyscale image: (darkest, lightest) pixel values.
            low, high = cast(tuple[int, int], region.getextrema())
            assert high - low > 100, (shot.name, box)
