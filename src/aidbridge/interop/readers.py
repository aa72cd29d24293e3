"""Reading an uploaded CSV, XLSX or HXL-tagged CSV into rows of cells.

Nothing here knows about needs or offers: it checks that the file is what its name
says, that text is UTF-8, that no cell is a formula, and finds the header row (and, for
HXL, the hashtag row, located and parsed with ``libhxl``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext

from aidbridge.interop.errors import FileRejected
from aidbridge.interop.limits import check_upload_size, check_zip, max_rows

FORMATS = ("csv", "xlsx", "hxl")
UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_32_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # old binary .xls (and .doc)
HXL_SCAN_ROWS = 25  # libhxl looks for the hashtag row in the first 25 rows too


@dataclass
class Table:
    """The data rows of a file, with the header (and HXL hashtag) of each column."""

    format: str
    headers: list[str]
    tags: list[str] | None = None  # the HXL hashtag spec of each column, "" if untagged
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row number, cells)
    notes: list[str] = field(default_factory=list)

    def label(self, index: int) -> str:
        """How to name column ``index`` in a message: its header, its tag, its letter."""
        header = self.headers[index] if index < len(self.headers) else ""
        tag = self.tags[index] if self.tags and index < len(self.tags) else ""
        name = header or tag or f"#{index + 1}"
        return f"{name} ({tag})" if header and tag else name


def format_for(filename: str, declared: str | None = None) -> str:
    if declared:
        if declared not in FORMATS:
            raise FileRejected(
                gettext("unknown format %(declared)s; use one of %(value)s")
                % {"declared": repr(declared), "value": ", ".join(FORMATS)}
            )
        return declared
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".csv", ".txt"}:
        return "csv"  # HXL is recognised by its hashtag row
    if suffix == ".hxl":
        return "hxl"
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if suffix == ".xls":
        raise FileRejected(
            gettext(
                "%(filename)s: old binary Excel files (.xls) are not supported; save it as .xlsx"
            )
            % {"filename": filename}
        )
    raise FileRejected(
        gettext(
            "%(filename)s: unsupported file type %(value)s; use .csv, .xlsx or an HXL-tagged .csv"
        )
        % {"filename": filename, "value": suffix or "(no extension)"}
    )


def read_table(data: bytes, filename: str, declared: str | None = None) -> Table:
    """Read ``data`` (the whole upload) as the format its name or ``declared`` says."""
    check_upload_size(len(data))
    fmt = format_for(filename, declared)
    is_zip = data[:4] == b"PK\x03\x04"
    if fmt == "xlsx":
        if data[:4] == _OLE_SIGNATURE:
            raise FileRejected(
                gettext(
                    "%(filename)s is an old binary Excel file (.xls) renamed .xlsx; save "
                    "it as .xlsx"
                )
                % {"filename": filename}
            )
        if not is_zip:
            raise FileRejected(
                gettext("%(filename)s is not an XLSX workbook (it is not a zip archive)")
                % {"filename": filename}
            )
        rows = _xlsx_rows(data, filename)
    else:
        if is_zip:
            raise FileRejected(
                gettext(
                    "%(filename)s is a zip archive, not a CSV text file (an XLSX workbook "
                    "must be named .xlsx)"
                )
                % {"filename": filename}
            )
        rows = _csv_rows(_decode(data, filename), filename)
    table = _table(fmt, rows, filename)
    if len(table.rows) > max_rows():
        raise FileRejected(
            gettext("%(filename)s has %(value)s data rows; at most %(value2)s per file")
            % {"filename": filename, "value": len(table.rows), "value2": max_rows()}
        )
    return table


def _decode(data: bytes, filename: str) -> str:
    for bom, name in _UTF16_32_BOMS.items():
        if data.startswith(bom):
            raise FileRejected(
                gettext(
                    "%(filename)s is encoded in %(name)s; save it as UTF-8 ('CSV UTF-8' in Excel)"
                )
                % {"filename": filename, "name": name}
            )
    if data.startswith(UTF8_BOM):
        # Excel's "CSV UTF-8" starts with a byte-order mark: it is UTF-8, drop the mark
        # so it does not stick to the first header.
        data = data[len(UTF8_BOM) :]
    if b"\x00" in data[:4096]:
        raise FileRejected(
            gettext("%(filename)s is not a text file (it contains NUL bytes)")
            % {"filename": filename}
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        raise FileRejected(
            gettext(
                "%(filename)s is not UTF-8: byte 0x%(byte)s on line %(line)s cannot be "
                "read (probably Windows-1252 or Latin-1); save it as UTF-8 ('CSV "
                "UTF-8' in Excel)"
            )
            % {"filename": filename, "byte": format(byte, "02X"), "line": line}
        ) from None


def _csv_rows(text: str, filename: str) -> list[list[Any]]:
    first_line = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise FileRejected(
            gettext("%(filename)s is not a well-formed CSV file: %(exc)s")
            % {"filename": filename, "exc": exc}
        ) from None


def _xlsx_rows(data: bytes, filename: str) -> list[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, what=filename)
    except zipfile.BadZipFile:
        raise FileRejected(
            gettext("%(filename)s is not an XLSX workbook (damaged zip archive)")
            % {"filename": filename}
        ) from None

    import openpyxl  # imported here: it is only needed for spreadsheets
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the sheet; formulas stay text (openpyxl never evaluates them)
        # and are refused below. openpyxl parses the XML with defusedxml when installed.
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except (InvalidFileException, KeyError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(
            gettext("%(filename)s is not a readable XLSX workbook (%(exc)s)")
            % {"filename": filename, "exc": exc}
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # any parser failure inside the sheet's XML
        raise FileRejected(
            gettext("%(filename)s: the first worksheet cannot be read (%(exc)s)")
            % {"filename": filename, "exc": exc}
        ) from None
    finally:
        workbook.close()


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _is_hashtag_row(row: list[Any]) -> bool:
    cells = [c for c in row if not _blank(c)]
    return bool(cells) and all(isinstance(c, str) and c.strip().startswith("#") for c in cells)


def _table(fmt: str, raw: list[list[Any]], filename: str) -> Table:
    numbered = [(i + 1, row) for i, row in enumerate(raw) if not all(_blank(c) for c in row)]
    if not numbered:
        raise FileRejected(gettext("%(filename)s is empty") % {"filename": filename})
    tag_at = next(
        (k for k, (_, row) in enumerate(numbered[:HXL_SCAN_ROWS]) if _is_hashtag_row(row)), None
    )
    if tag_at is not None:
        tags = _parse_tags(numbered[tag_at][1], numbered[tag_at][0])
        headers = [_text(c) for c in numbered[tag_at - 1][1]] if tag_at > 0 else []
        width = len(tags)
        headers = _pad(headers, width)
        rows = [(n, _pad(row, width)) for n, row in numbered[tag_at + 1 :]]
        return Table(
            format="xlsx" if fmt == "xlsx" else "hxl", headers=headers, tags=tags, rows=rows
        )
    if fmt == "hxl":
        raise FileRejected(
            gettext(
                "%(filename)s: a header row but no HXL hashtag row under it (in the "
                "first %(HXL_SCAN_ROWS)s rows); add a row of tags such as #item+code, "
                "#item+num+requested"
            )
            % {"filename": filename, "HXL_SCAN_ROWS": HXL_SCAN_ROWS}
        )
    header_row = numbered[0][1]
    headers = [_text(c) for c in header_row]
    while headers and not headers[-1]:
        headers.pop()
    rows = [(n, _pad(row, len(headers))) for n, row in numbered[1:]]
    return Table(format=fmt, headers=headers, rows=rows)


def _parse_tags(row: list[Any], row_number: int) -> list[str]:
    """Normalise each hashtag spec through libhxl (lower case, sorted attributes)."""
    import hxl.model

    specs = []
    for index, cell in enumerate(row):
        raw = _text(cell)
        if not raw:
            specs.append("")
            continue
        column = hxl.model.Column.parse(raw)
        if not column or not column.tag:
            raise FileRejected(
                gettext("row %(row_number)s, column %(value)s: %(raw)s is not an HXL tag")
                % {"row_number": row_number, "value": index + 1, "raw": repr(raw)}
            )
        specs.append(column.get_display_tag(sort_attributes=True))
    while specs and not specs[-1]:
        specs.pop()
    return specs


def _pad(row: list[Any], width: int) -> list[Any]:
    return (row + [None] * (width - len(row)))[:width] if len(row) != width else row


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()
