"""API: ``POST /api/v1/edxl`` imports an EDXL-DE envelope or a bare EDXL-RM message.

The body is the XML itself (``Content-Type: application/xml``, ``text/xml`` or an
``+xml`` type). The answer is JSON: 201 with what each message created, 200 when the
document was seen before (a replay, nothing changed), or a 4xx in the API's error
shape whose ``errors`` name the XML path of every problem (schema errors with the
schema's own paths). Auth and roles as everywhere: the importing account must be of
the party whose action the message is (``edxl.imports``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.errors import json_answer
from aidbridge.api.openapi import ERROR_REF
from aidbridge.edxl.imports import import_document
from aidbridge.edxl.imports.errors import MessageRefused
from aidbridge.interop.limits import max_upload_bytes

router = Router(tags=["EDXL"])
XML_TYPES = ("application/xml", "text/xml")


def is_xml(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media in XML_TYPES or media.endswith("+xml")


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def xml_body() -> dict[str, Any]:
    return {
        "responses": {
            413: _error("The message is larger than AIDBRIDGE_IMPORT_MAX_BYTES"),
            415: _error("The body is not sent as XML (application/xml)"),
        },
        "requestBody": {
            "required": True,
            "content": {
                "application/xml": {
                    "schema": {
                        "type": "string",
                        "description": "An EDXL-DE 1.0 envelope or a bare EDXL-RM 1.0 message",
                    }
                }
            },
        },
    }


@router.post(
    "/edxl",
    response={200: dict, 201: dict},
    openapi_extra=xml_body(),
)
def import_edxl(request: HttpRequest) -> HttpResponse:
    """Import EDXL-RM 1.0 messages (RequestResource, ResponseToRequestResource,
    OfferUnsolicitedResource, RequisitionResource, ReportResourceDeploymentStatus)."""
    profile_of(request.user)
    content_type = request.META.get("CONTENT_TYPE", "")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > max_upload_bytes():
            raise MessageRefused.one(
                "too_large",
                f"the message is {declared} bytes; the limit is {max_upload_bytes()}",
                status=413,
            )
        # An empty body has no type to check: it is refused as what it is, no message.
        if declared and not is_xml(content_type):
            raise MessageRefused.one(
                "unsupported_media_type",
                f"send the message as application/xml, not {content_type or 'no type'!r}",
                status=415,
            )
        result = import_document(request.user, request.body)
    except MessageRefused as exc:
        return json_answer(request, exc.body(), status=exc.status)
    return json_answer(request, result.as_dict(), status=200 if result.replay else 201)
