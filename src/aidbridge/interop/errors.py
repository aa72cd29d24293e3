"""Problems found in an uploaded file, each pinned to a row and a column."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext, ngettext

from aidbridge.core.errors import ValidationFailed


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. ``row`` is the 1-based row in the file as a
    spreadsheet shows it; ``column`` is the column's header (or HXL hashtag)."""

    message: str
    row: int | None = None
    column: str | None = None

    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(gettext("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(gettext("column %(column)s") % {"column": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "field": self.where() or "file"}


class FileRejected(ValidationFailed):
    """The file as a whole cannot be read (wrong type, encoding, size, zip bomb...)."""

    code = "file_rejected"

    def __init__(self, message: str, *, status: int = 422):
        super().__init__(message, field="file")
        self.status = status


class ImportRejected(ValidationFailed):
    """The file was read but some rows or columns are wrong; nothing was written."""

    code = "import_rejected"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0]) if problems else gettext("the file was refused")
        more = (
            " "
            + ngettext("(and %(n)s more problem)", "(and %(n)s more problems)", len(problems) - 1)
            % {"n": len(problems) - 1}
            if len(problems) > 1
            else ""
        )
        super().__init__(first + more, field="file")
