"""Size limits for uploaded files and archives, checked before anything is parsed.

A spreadsheet is a zip of XML files: its declared uncompressed sizes are checked before
openpyxl sees it, so a small upload cannot expand into gigabytes in memory. Python's
zipfile never inflates an entry beyond its declared size (and checks its CRC), so the
declared sizes are a real bound.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.utils.translation import gettext

from aidbridge.interop.errors import FileRejected

MB = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "AIDBRIDGE_IMPORT_MAX_BYTES", 20 * MB))


def max_rows() -> int:
    return int(getattr(settings, "AIDBRIDGE_IMPORT_MAX_ROWS", 50_000))


# An XLSX of 50,000 rows is about 10 MB of XML; anything far beyond is not a needs list.
MAX_XLSX_UNCOMPRESSED = 200 * MB
MAX_XLSX_ENTRIES = 1_000
# Worksheet XML compresses 10-30 times; a ratio above this is a bomb, not a spreadsheet.
MAX_COMPRESSION_RATIO = 150
# Small entries may compress extremely well without being dangerous.
RATIO_CHECK_FROM = 1 * MB


def human(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB // 10 else f"{size / 1024:.0f} KB"


def check_upload_size(size: int, *, limit: int | None = None) -> None:
    limit = max_upload_bytes() if limit is None else limit
    if size > limit:
        raise FileRejected(
            gettext("the file is %(value)s; the limit is %(value2)s (split it into several files)")
            % {"value": human(size), "value2": human(limit)},
            status=413,
        )


def check_zip(
    archive: zipfile.ZipFile,
    *,
    what: str,
    max_total: int = MAX_XLSX_UNCOMPRESSED,
    max_entries: int = MAX_XLSX_ENTRIES,
) -> None:
    """Refuse a zip whose declared contents are too many, too large or too compressed."""
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise FileRejected(
            gettext("%(what)s holds %(value)s files; at most %(max_entries)s are allowed")
            % {"what": what, "value": len(infos), "max_entries": max_entries}
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size >= RATIO_CHECK_FROM:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise FileRejected(
                    gettext(
                        "%(what)s looks like a zip bomb: %(filename)s expands %(ratio)s times "
                        "(to %(value)s MB); refused without opening it"
                    )
                    % {
                        "what": what,
                        "filename": info.filename,
                        "ratio": format(ratio, ".0f"),
                        "value": format(info.file_size / MB, ".0f"),
                    }
                )
    if total > max_total:
        raise FileRejected(
            gettext(
                "%(what)s would expand to %(value)s MB; at most %(value2)s MB is "
                "allowed; refused without opening it"
            )
            % {
                "what": what,
                "value": format(total / MB, ".0f"),
                "value2": format(max_total / MB, ".0f"),
            }
        )
