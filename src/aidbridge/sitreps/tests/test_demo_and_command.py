"""The demo's sitreps and the render command."""

from __future__ import annotations

import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aidbridge.sitreps.demo import publish_demo_sitreps
from aidbridge.sitreps.models import Sitrep

pytestmark = pytest.mark.django_db


def test_demo_publishes_three_with_changes_between(
    users: dict[str, Any], crisis: Any, world: Any, first_state: Any
):
    steps = [
        lambda: world.accept(world.offer("DEU", first_state["ita"], "VENT-ICU", 20), 20),
        lambda: world.dispatch(first_state["tur_ita"], 30000, mode="road"),
    ]
    sitreps = publish_demo_sitreps(
        crisis, duty_officer=users["duty"], head_of_centre=users["head"], between=steps
    )
    assert [s.sequence for s in sitreps] == [1, 2, 3]
    assert all(s.releasable and s.general_situation_fr for s in sitreps)
    assert sitreps[0].snapshot is not None and sitreps[1].snapshot is not None
    assert sitreps[0].snapshot["changes"]["requests"] == []
    assert sitreps[1].snapshot["changes"]["assistance"] == [["DEU", "VENT-ICU"]]
    assert sitreps[2].snapshot is not None
    assert sitreps[2].snapshot["changes"]["transport"] == [["TUR", "ITA", "road"]]
    again = publish_demo_sitreps(
        crisis, duty_officer=users["duty"], head_of_centre=users["head"], between=steps
    )
    assert [s.pk for s in again] == [s.pk for s in sitreps]
    assert Sitrep.objects.count() == 3


def test_render_command_writes_a_pdf(
    users: dict[str, Any], crisis: Any, first_state: Any, tmp_path: Path
):
    publish_demo_sitreps(crisis, duty_officer=users["duty"], head_of_centre=users["head"])
    target = tmp_path / "sitrep-2.pdf"
    out = StringIO()
    call_command(
        "sitrep",
        "render",
        "covid-19-2020",
        "--sequence",
        "2",
        "--lang",
        "fr",
        "-o",
        str(target),
        stdout=out,
    )
    assert "written to" in out.getvalue()
    text = subprocess.run(
        ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "SITREP n° 2" in text and "Besoins non couverts" in text
    html = tmp_path / "s.html"
    call_command(
        "sitrep", "render", "covid-19-2020", "--format", "html", "-o", str(html), stdout=out
    )
    assert "SITREP No. 3" in html.read_text()
    with pytest.raises(CommandError, match="no such sitrep"):
        call_command("sitrep", "render", "covid-19-2020", "--sequence", "9", stdout=out)
    with pytest.raises(CommandError, match="no crisis"):
        call_command("sitrep", "list", "nope", stdout=out)


def test_demo_scenario_publishes_three_sitreps_once(tmp_path: Path):
    from aidbridge.demo.loader import load_demo

    load_demo()
    sitreps = list(Sitrep.objects.filter(crisis__code="covid-19-2020").order_by("sequence"))
    assert [s.sequence for s in sitreps] == [1, 2, 3]
    assert all(s.is_published and s.releasable for s in sitreps)
    assert sitreps[0].snapshot is not None and sitreps[0].snapshot["changes"]["rfas"] == []
    # The story moved on between the reports: the later ones have their changes in bold.
    for later in sitreps[1:]:
        assert later.snapshot is not None and later.snapshot["changes"]["rfas"]
    first, last = sitreps[0].snapshot, sitreps[2].snapshot
    assert first is not None and last is not None and len(last["rfas"]) > len(first["rfas"])
    report = load_demo()
    assert report.reused["sitreps"] == 3 and "sitreps" not in report.created
    assert Sitrep.objects.count() == 3
    out = tmp_path / "sitrep-2-fr.pdf"
    call_command(
        "sitrep",
        "render",
        "covid-19-2020",
        "--sequence",
        "2",
        "--lang",
        "fr",
        "-o",
        str(out),
        stdout=StringIO(),
    )
    text = subprocess.run(
        ["pdftotext", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "SITREP n° 2" in text and "Pandémie de COVID-19 (2020)" in text
