"""Receiving an upload without ever holding more than the limit.

The declared Content-Length is checked before the body is read; an upload handler then
counts the bytes actually received, so a client that lies about the length (or sends
it chunked) is stopped at the limit too.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.utils.translation import gettext

from aidbridge.interop.errors import FileRejected
from aidbridge.interop.limits import check_upload_size, max_upload_bytes

# Multipart headers and boundaries around the file.
MULTIPART_OVERHEAD = 64 * 1024


class LimitedUploadHandler(FileUploadHandler):
    """Keeps the file in memory (imports are parsed at once) and stops at ``limit``."""

    def __init__(self, request: HttpRequest | None = None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.buffer = io.BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        check_upload_size(self.received, limit=self.limit)
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


def uploaded_file(request: HttpRequest, field: str = "file") -> tuple[bytes, str]:
    """The bytes and name of the multipart field ``field``, within the size limit."""
    limit = max_upload_bytes()
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    check_upload_size(declared, limit=limit + MULTIPART_OVERHEAD)
    # The idempotency middleware may have parsed the body already, with this handler.
    if not hasattr(request, "_files"):
        request.upload_handlers = [LimitedUploadHandler(request, limit)]
    files: Any = request.FILES
    upload = files.get(field)
    if upload is None:
        raise FileRejected(
            gettext("no file: send it as the multipart field %(field)s") % {"field": repr(field)}
        )
    check_upload_size(upload.size, limit=limit)
    return upload.read(), upload.name or "upload"
