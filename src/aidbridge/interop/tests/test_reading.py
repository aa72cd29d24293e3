"""Reading files: types, encodings, HXL rows, formulas, sizes and zip bombs."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from aidbridge.interop.errors import FileRejected
from aidbridge.interop.readers import read_table
from aidbridge.interop.tests.files import csv_bytes, xlsx_bytes

NEEDS = [["item", "quantity"], ["VENT-ICU", "5"], ["Masque chirurgical", "1000"]]


def test_csv_with_bom_and_semicolons_is_read_as_utf8() -> None:
    data = csv_bytes([["item", "quantité"], ["Respirateur de réanimation", "5"]], delimiter=";")
    table = read_table(b"\xef\xbb\xbf" + data, "needs.csv")
    assert table.format == "csv"
    assert table.headers == ["item", "quantité"]  # the BOM did not stick to "item"
    assert table.rows == [(2, ["Respirateur de réanimation", "5"])]


def test_hxl_hashtag_row_is_found_and_normalised() -> None:
    data = csv_bytes([["Item", "Qty"], ["#item +code", "#item+requested+num"], ["VENT-ICU", "5"]])
    table = read_table(data, "needs.csv")
    assert table.format == "hxl"
    assert table.tags == ["#item+code", "#item+num+requested"]
    assert table.rows == [(3, ["VENT-ICU", "5"])]


def test_hxl_declared_without_hashtag_row_is_refused() -> None:
    with pytest.raises(FileRejected, match="no HXL hashtag row"):
        read_table(csv_bytes(NEEDS), "needs.csv", "hxl")


def test_latin1_file_is_refused_with_the_line() -> None:
    data = "item,quantity\nRespirateur de réanimation,5\n".encode("latin-1")
    with pytest.raises(FileRejected, match=r"not UTF-8: byte 0xE9 on line 2"):
        read_table(data, "needs.csv")


def test_utf16_file_is_refused() -> None:
    data = "item,quantity\nVENT-ICU,5\n".encode("utf-16")
    with pytest.raises(FileRejected, match="UTF-16"):
        read_table(data, "needs.csv")


def test_csv_named_xlsx_is_refused() -> None:
    with pytest.raises(FileRejected, match=r"needs.xlsx is not an XLSX workbook"):
        read_table(csv_bytes(NEEDS), "needs.xlsx")


def test_xlsx_named_csv_is_refused() -> None:
    with pytest.raises(FileRejected, match=r"zip archive, not a CSV"):
        read_table(xlsx_bytes(NEEDS), "needs.csv")


def test_unknown_extension_is_refused() -> None:
    with pytest.raises(FileRejected, match=r"unsupported file type \.pdf"):
        read_table(b"%PDF-1.4", "needs.pdf")


def test_xlsx_rows_keep_their_types_and_formulas_stay_text() -> None:
    table = read_table(xlsx_bytes([*NEEDS, ["VENT-ICU", "=SUM(1,2)"]]), "needs.xlsx")
    assert table.format == "xlsx"
    assert table.rows[0] == (2, ["VENT-ICU", "5"])
    assert table.rows[2] == (4, ["VENT-ICU", "=SUM(1,2)"])  # never evaluated


def test_zip_bomb_disguised_as_xlsx_is_refused_before_opening() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    assert len(out.getvalue()) < 200_000
    with pytest.raises(FileRejected, match="zip bomb"):
        read_table(out.getvalue(), "needs.xlsx")


def test_damaged_xlsx_is_refused() -> None:
    data = xlsx_bytes(NEEDS)
    with pytest.raises(FileRejected, match="not"):
        read_table(data[: len(data) // 2], "needs.xlsx")


@override_settings(AIDBRIDGE_IMPORT_MAX_BYTES=1000)
def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(FileRejected, match="the limit is 1 KB") as info:
        read_table(b"item,quantity\n" + b"VENT-ICU,5\n" * 200, "needs.csv")
    assert info.value.status == 413


def test_empty_file_is_refused() -> None:
    with pytest.raises(FileRejected, match="empty"):
        read_table(b"\n\n", "needs.csv")
