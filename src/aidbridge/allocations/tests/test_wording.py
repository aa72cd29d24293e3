"""The planner's explanations, given as codes, read in the reader's language; in
English they say what the planner's own wording says."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.utils import translation

from aidbridge.allocations.explain import english_text, explain_all
from aidbridge.allocations.wording import worded
from aidbridge.planning.allocation import parse_allocation, plan_allocation
from aidbridge.planning.allocation.generate import InstanceSize, generate_instance


@pytest.fixture(scope="module")
def parts() -> dict[str, list[Any]]:
    problem = parse_allocation(
        generate_instance(InstanceSize(needs=40, supplies=25, parties=5, items=4), 1)
    )
    return explain_all(problem, plan_allocation(problem))


def test_every_code_is_worded_in_french(parts: dict[str, list[Any]]) -> None:
    codes = {code for p in parts.values() for code, _ in p}
    assert {"need", "shortage_shared", "sharer"} <= codes
    with translation.override("fr"):
        texts = [worded(p) for p in parts.values()]
    joined = "\n".join(texts)
    assert "Besoin " in joined and "Limité par" in joined
    assert "Bound by" not in joined and "Need " not in joined and "units" not in joined


def test_stored_json_says_what_the_planner_says(parts: dict[str, list[Any]]) -> None:
    """Read back as stored in the run's output (JSON: tuples become lists), the page's
    English names the same needs, supplies and figures as the planner's text (the
    wording differs: "1 other need", "less than one unit")."""
    ids = re.compile(r"[A-Z]+[-\w/]*\d|\d+(?:\.\d+)?")
    stored = json.loads(json.dumps(parts))
    with translation.override("en"):
        for need, p in stored.items():
            page, planner = worded(p), english_text(parts[need])
            assert ids.findall(page.replace(",", "")) == ids.findall(planner.replace(",", ""))
