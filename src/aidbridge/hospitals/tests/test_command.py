"""``aidbridge have export`` and ``import``: what one centre exports, another records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from aidbridge.edxl import schemas
from aidbridge.hospitals.models import BedReport


def test_export_then_import(tmp_path: Path, hospitals: Any, crisis: Any, capsys: Any) -> None:
    out = tmp_path / "capacity.xml"
    call_command("have", "export", "-o", str(out), "--crisis", crisis.code)
    assert schemas.validate(etree.parse(str(out))) == []
    call_command("have", "import", str(out), "--as", "duty")
    assert "0 recorded, 3 unchanged" in capsys.readouterr().out
    # A report edited to a count the schema refuses: nothing written, each problem shown.
    out.write_text(out.read_text().replace(">10<", ">ten<", 1))
    before = BedReport.objects.count()
    with pytest.raises(CommandError, match="schema_invalid"):
        call_command("have", "import", str(out), "--as", "duty")
    assert "AvailableCount" in capsys.readouterr().err
    assert BedReport.objects.count() == before
