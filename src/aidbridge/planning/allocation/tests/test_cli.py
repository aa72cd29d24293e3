"""The command, through main() and as a real subprocess (stdin/stdout, exit codes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aidbridge.planning.allocation import check_allocation, parse_allocation, plan_from_json
from aidbridge.planning.allocation.cli import main

from .factories import doc, need, supply

DOC = doc(
    [
        need("ITA-0007/2", quantity=300, needed_by="2020-04-10"),
        need("FRA-0003/1", party="FRA", quantity=100),
    ],
    [
        supply("STOCK-12", quantity=200, available_from="2020-04-01"),
        supply("STOCK-15", quantity=50, available_from="2020-04-12"),
        supply("ITA-OWN", party="ITA", quantity=20),
    ],
)


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_file_in_file_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.json"
    assert main([str(write(tmp_path, DOC)), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    plan = plan_from_json(json.loads(out.read_text(encoding="utf-8")))
    assert check_allocation(parse_allocation(DOC), plan).ok
    assert sum(a.quantity for a in plan.allocations) == 270


def test_stdin_to_stdout_in_a_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aidbridge.cli", "plan", "allocate"],
        input=json.dumps(DOC),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Not a terminal: no progress noise on stderr, only the certificate.
    assert "\r" not in result.stderr and result.stderr.startswith("certificate: optimal")
    document = json.loads(result.stdout)
    assert {(a["supply"], a["need"], a["quantity"]) for a in document["allocations"]} == {
        ("STOCK-12", "ITA-0007/2", 200),
        ("STOCK-15", "FRA-0003/1", 50),
        ("ITA-OWN", "FRA-0003/1", 20),
    }
    assert document["stats"]["by_class"]["1"]["bound_max_units"] == 270


def test_bad_input_exits_2_naming_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = doc([need("ITA-1", priority=7)], [{**supply("S1"), "quantity": 1.5}])
    out = tmp_path / "plan.json"
    assert main([str(write(tmp_path, bad)), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "invalid input, nothing planned" in err
    assert 'needs[0] "ITA-1": priority must be 1, 2 or 3, got 7' in err
    assert 'supplies[0] "S1": quantity must be a positive integer, got 1.5' in err
    assert not out.exists()


def test_missing_file_and_bad_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    assert main([str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, DOC)
    assert main([str(path), "--explain", "ITA-0007/2", "--explain", "FRA-0003/1"]) == 0
    text = capsys.readouterr().out
    assert "Need ITA-0007/2 (ITA, VENT-ICU, priority 1): 200 of 300 units (66.7%)." in text
    assert "STOCK-15 (from 2020-04-12, needed by 2020-04-10)" in text
    assert "Excluded, own party: ITA-OWN (ITA)" in text
    assert "shared with 1 other need(s)" in text
    assert main([str(path), "--explain", "NOPE-1"]) == 2
    assert "no need with id 'NOPE-1'" in capsys.readouterr().err


def test_progress_line_overwrites_itself_and_is_cleared() -> None:
    import io

    from aidbridge.planning.allocation.cli import _Progress

    stream = io.StringIO()
    progress = _Progress(stream)
    progress("class 1: fill level 1 = 0.5000, 3 needs still rising")
    progress("done")
    progress.close()
    written = stream.getvalue()
    assert written.count("\r") == 4  # two updates, then blank-out and return
    assert "class 1: fill level 1" in written and "done" in written
    assert written.endswith("\r")
