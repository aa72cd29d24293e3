"""``aidbridge edxl import FILE --as USER``: the same import as the API, from files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aidbridge.edxl.models import ReceivedMessage
from aidbridge.edxl.tests.importing import DATA, EXAMPLES
from aidbridge.requests.models import RequestForAssistance


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("edxl", "import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_a_file_then_its_replay(users: dict[str, Any], items: Any, crisis: Any) -> None:
    out, _ = _run(str(DATA / "rm-request.xml"), "--as", "ita-poc")
    rfa = RequestForAssistance.objects.get()
    assert f"RequestResource ita-system:request:1 (ITA): rfa {rfa.pk}" in out
    again, _ = _run(str(DATA / "rm-request.xml"), "--as", "ita-poc")
    assert "replay, nothing changed" in again
    assert RequestForAssistance.objects.count() == 1


def test_a_refused_file_prints_its_problems_and_fails(
    users: dict[str, Any], items: Any, crisis: Any
) -> None:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="refused \\(unknown_party\\); nothing was imported"):
        call_command(
            "edxl",
            "import",
            str(EXAMPLES / "edxl-rm-1.0_RequestResource.xml"),
            "--as",
            "ita-poc",
            stdout=out,
            stderr=err,
        )
    assert "/RequestResource/ContactInformation[1]: unknown party" in err.getvalue()
    assert not ReceivedMessage.objects.exists()


def test_unknown_user_or_file(users: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no user 'nobody'"):
        _run(str(DATA / "rm-request.xml"), "--as", "nobody")
    with pytest.raises(CommandError, match="no such file"):
        _run(str(tmp_path / "missing.xml"), "--as", "ita-poc")
