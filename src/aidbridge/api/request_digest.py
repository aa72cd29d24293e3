"""What an ``Idempotency-Key`` compares: the request's content, read within its limits.

A JSON body is compared byte for byte (a retry sends the same bytes). A multipart body
is compared by what it holds, its fields and the SHA-256 of each file, because a client
draws a new boundary for every attempt. Reading it here, before the key is reserved,
also applies the size limits first: the upload limit (``AIDBRIDGE_IMPORT_MAX_BYTES``)
for multipart bodies and ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for the rest. A body over
them is refused here and no key is stored.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from aidbridge.interop.errors import FileRejected
from aidbridge.interop.limits import check_upload_size, max_upload_bytes
from aidbridge.interop.uploads import MULTIPART_OVERHEAD, LimitedUploadHandler


class Unreadable(Exception):
    """The body cannot be read within the limits: ``status`` and ``message`` say why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _multipart(request: HttpRequest, digest: hashlib._Hash) -> None:
    limit = max_upload_bytes()
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    check_upload_size(declared, limit=limit + MULTIPART_OVERHEAD)
    # The same handler the upload endpoints use (they find the files parsed already).
    request.upload_handlers = [LimitedUploadHandler(request, limit)]
    fields, files = request.POST, request.FILES
    for name in sorted(fields):
        for value in fields.getlist(name):
            digest.update(json.dumps(["field", name, value]).encode() + b"\n")
    for name in sorted(files):
        for upload in files.getlist(name):
            content = hashlib.sha256()
            for chunk in upload.chunks():
                content.update(chunk)
            upload.seek(0)
            entry = ["file", name, upload.name, upload.size, content.hexdigest()]
            digest.update(json.dumps(entry).encode() + b"\n")


def request_digest(request: HttpRequest) -> str:
    """SHA-256 of the path and the content; raises ``Unreadable`` (413, 400)."""
    digest = hashlib.sha256(request.path.encode() + b"\0")
    try:
        if request.content_type == "multipart/form-data":
            _multipart(request, digest)
        else:
            digest.update(request.body)
    except FileRejected as exc:
        raise Unreadable(exc.status, exc.message) from None
    except RequestDataTooBig:
        raise Unreadable(413, "the request body is too large") from None
    except MultiPartParserError as exc:
        raise Unreadable(400, f"the multipart body cannot be read: {exc}") from None
    return digest.hexdigest()
