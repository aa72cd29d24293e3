"""``aidbridge plan airlift`` end to end through the console script's dispatcher."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from aidbridge.cli import main
from aidbridge.planning.airlift import check_airlift, parse_airlift

from .factory import consignment, document


def write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    return path


def test_plan_written_to_file_with_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = document([consignment("TUR-ITA-1"), consignment("C-2", origin="ZZZZ")])
    out = tmp_path / "plan.json"
    legs = tmp_path / "legs.geojson"
    code = main(
        ["plan", "airlift", str(write(tmp_path, doc)), "-o", str(out), "--time-limit", "0.3",
         "--summary", "--geojson", str(legs)]
    )  # fmt: skip
    assert code == 0
    features = json.loads(legs.read_text())["features"]
    lines = [f["properties"] for f in features if f["geometry"]["type"] == "LineString"]
    assert [(x["from"], x["to"], x["aboard"]) for x in lines] == [
        ("LHPA", "LTAC", []),
        ("LTAC", "LIRF", ["TUR-ITA-1"]),
        ("LIRF", "LHPA", []),
    ]
    assert lines[1]["depart"] == "2020-04-01T09:17:00Z"
    plan = json.loads(out.read_text())
    assert check_airlift(parse_airlift(doc), plan) == []
    assert plan["unassigned"] == [
        {
            "consignment": "C-2",
            "reason": "unknown origin airport 'ZZZZ'",
            # The same reason as a code, for the application to word in its language.
            "code": "unknown_airport",
            "params": {"end": "origin", "airport": "ZZZZ"},
        }
    ]
    err = capsys.readouterr().err
    assert "SAC-1 (C-17A, base LHPA)" in err
    assert "LTAC     2020-04-01 07:47  2020-04-01 09:17" in err
    assert "C-2: unknown origin airport 'ZZZZ'" in err


def test_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(document([consignment("C-1")]))))
    assert main(["plan", "airlift", "--time-limit", "0.2"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["sorties"][0]["aircraft"] == "SAC-1"
    assert captured.err == ""  # no terminal: no progress, no summary


def test_malformed_document_exits_2_naming_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = document([consignment("C-1"), consignment("C-7", pallets=-1)])
    assert main(["plan", "airlift", str(write(tmp_path, doc))]) == 2
    err = capsys.readouterr().err
    assert "consignments[1] ('C-7'): pallets must be a whole number >= 0, got -1" in err


def test_not_json_and_missing_file_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    assert main(["plan", "airlift", str(bad)]) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    assert main(["plan", "airlift", str(tmp_path / "absent.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_progress_line_overwrites_itself_and_clears() -> None:
    from aidbridge.planning.airlift.cli import _ProgressLine
    from aidbridge.planning.airlift.model import Progress

    stream = io.StringIO()
    line = _ProgressLine(stream)
    line(Progress(1.25, 10, 1234, None, planned=17, tasks=20))
    line.close()
    text = stream.getvalue()
    assert text.startswith("\rsearching   1.2/10 s     1,234 iterations     17/20 consignments")
    assert text.endswith("\r")
