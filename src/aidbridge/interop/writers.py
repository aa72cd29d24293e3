"""Writing tables as CSV, HXL (CSV with a hashtag row) or XLSX, safe to open in Excel.

Text cells starting with = + - @ or a tab/carriage return would be run as formulas by
a spreadsheet (CSV injection); they are written with a leading apostrophe instead.
Numbers and dates stay typed, so quantities remain numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"csv": "csv", "hxl": "hxl.csv", "xlsx": "xlsx"}
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return neutralise(value)


def write_table(
    fmt: str,
    headers: list[str],
    tags: list[str],
    rows: Iterable[list[Any]],
    *,
    sheet: str = "data",
    extra_sheets: dict[str, tuple[list[str], Iterable[list[Any]]]] | None = None,
) -> bytes:
    """The table as ``fmt``; HXL and XLSX carry the hashtag row under the headers."""
    if fmt in {"csv", "hxl"}:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        if fmt == "hxl":
            writer.writerow(tags)
        writer.writerows([_csv_cell(v) for v in row] for row in rows)
        return out.getvalue().encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}")
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    _sheet(workbook, sheet, [headers, tags], rows)
    for name, (more_headers, more_rows) in (extra_sheets or {}).items():
        _sheet(workbook, name, [more_headers], more_rows)
    out_bytes = io.BytesIO()
    workbook.save(out_bytes)
    return out_bytes.getvalue()


def _sheet(workbook: Any, name: str, top: list[list[str]], rows: Iterable[list[Any]]) -> None:
    ws = workbook.create_sheet(name)
    for row in top:
        ws.append(row)
    for row in rows:
        # openpyxl would store a string starting with "=" as a formula
        ws.append([neutralise(v) if not isinstance(v, dt.datetime) else _naive(v) for v in row])


def _naive(value: dt.datetime) -> dt.datetime:
    """Excel has no time zones: write UTC wall-clock time (the header says UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value
