"""The command line: aidbridge import / export."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aidbridge.crises.models import Crisis
from aidbridge.interop.tests.files import csv_bytes
from aidbridge.requests.models import RequestForAssistance


def test_import_needs_dry_run_then_real(
    users: dict[str, Any], items: Any, crisis: Crisis, tmp_path: Path
) -> None:
    path = tmp_path / "needs.csv"
    path.write_bytes(csv_bytes([["item", "quantity"], ["VENT-ICU", "150"]]))
    out = io.StringIO()
    args = ["needs", str(path), "--crisis", crisis.code, "--as", "cze-poc", "--title", "Vents"]
    call_command("import", *args, "--dry-run", stdout=out)
    assert "would create: rfa=None, title=Vents, lines=1" in out.getvalue()
    assert not RequestForAssistance.objects.exists()
    call_command("import", *args, stdout=out)
    assert RequestForAssistance.objects.get().lines.get().quantity == 150


def test_import_problems_fail_the_command(
    users: dict[str, Any], items: Any, crisis: Crisis, tmp_path: Path
) -> None:
    path = tmp_path / "needs.csv"
    path.write_bytes(csv_bytes([["item", "quantity"], ["VENT-ICU", "0"]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "import",
            "needs",
            str(path),
            "--crisis",
            crisis.code,
            "--as",
            "cze-poc",
            "--title",
            "T",
            stderr=err,
        )
    assert "row 2, column quantity: quantity must be greater than 0" in err.getvalue()


def test_export_and_template(scenario: dict[str, Any], crisis: Crisis, tmp_path: Path) -> None:
    out = tmp_path / "offers.hxl.csv"
    call_command("export", "offers", "--crisis", crisis.code, "--format", "hxl", "-o", str(out))
    assert out.read_text().splitlines()[1].startswith("#meta+offer,#org+code")
    template = tmp_path / "t.xlsx"
    call_command("export", "needs-template", "--format", "xlsx", "-o", str(template))
    assert template.read_bytes()[:2] == b"PK"
