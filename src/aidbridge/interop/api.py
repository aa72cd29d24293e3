"""API: import needs and offers from files, download templates, export tables.

Uploads are multipart (field ``file``); options are query parameters. A dry run
answers 200 with the report (problems included); a real import answers 201 with the
report, or 422 with every problem by row and column and nothing written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from aidbridge.accounts.permissions import profile_of
from aidbridge.api.errors import json_answer
from aidbridge.api.openapi import errors_also, file_upload
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.interop import exporters, importers, templates
from aidbridge.interop.errors import ImportRejected
from aidbridge.interop.uploads import uploaded_file
from aidbridge.interop.writers import CONTENT_TYPES, EXTENSIONS

router = Router(tags=["data exchange"])
Fmt = Literal["csv", "xlsx", "hxl"]
Table = Literal["picture", "rfas", "offers", "deliveries"]


def _file(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS[fmt]}"'
    return response


def _answer(request: HttpRequest, run: Any) -> HttpResponse:
    try:
        report = run()
    except ImportRejected as exc:
        body = {
            "detail": exc.message,
            "code": exc.code,
            "errors": [p.as_dict() for p in exc.problems],
        }
        return json_answer(request, body, status=422)
    status = 200 if report.dry_run else 201
    return json_answer(request, report.as_dict(), status=status)


@router.post("/imports/needs", response={200: dict, 201: dict}, openapi_extra=file_upload())
def import_needs(
    request: HttpRequest,
    crisis: str,
    title: str = "",
    situation: str = "",
    dry_run: bool = False,
    format: Fmt | None = None,
) -> HttpResponse:
    """Draft RFAs from a CSV, XLSX or HXL file of needs (one per ``request`` column value)."""
    profile_of(request.user)
    target = crisis_by_code(crisis)
    data, name = uploaded_file(request)
    return _answer(
        request,
        lambda: importers.import_needs(
            request.user,
            crisis=target,
            data=data,
            filename=name,
            title=title,
            situation=situation,
            fmt=format,
            dry_run=dry_run,
        ),
    )


@router.post("/imports/offers", response={200: dict, 201: dict}, openapi_extra=file_upload())
def import_offers(
    request: HttpRequest,
    crisis: str,
    dry_run: bool = False,
    format: Fmt | None = None,
    available_from: dt.date | None = None,
    origin_airport: str = "",
    own_transport: bool = False,
    conditions: str = "",
) -> HttpResponse:
    """Offers from a file: one per RFA named, one unsolicited offer for rows naming none."""
    profile_of(request.user)
    target = crisis_by_code(crisis)
    data, name = uploaded_file(request)
    return _answer(
        request,
        lambda: importers.import_offers(
            request.user,
            crisis=target,
            data=data,
            filename=name,
            fmt=format,
            dry_run=dry_run,
            available_from=available_from,
            origin_airport=origin_airport,
            own_transport=own_transport,
            conditions=conditions,
        ),
    )


@router.get("/templates/needs", response={200: None})
def needs_template(request: HttpRequest, format: Fmt = "xlsx") -> HttpResponse:
    """A needs file to fill: every catalogue item with its code and both names."""
    profile_of(request.user)
    return _file(templates.needs_template(format), format, "aidbridge-needs-template")


@router.get("/templates/offers", response={200: None}, openapi_extra=errors_also(404))
def offers_template(
    request: HttpRequest, format: Fmt = "xlsx", crisis: str | None = None
) -> HttpResponse:
    """An offers file to fill: the crisis's circulated request lines, or the catalogue."""
    target = crisis_by_code(crisis) if crisis else None
    data = templates.offers_template(request.user, format, target)
    return _file(data, format, "aidbridge-offers-template")


@router.get("/crises/{code}/export/{table}", response={200: None})
def export(request: HttpRequest, code: str, table: Table, format: Fmt = "csv") -> HttpResponse:
    """The picture, RFAs, offers or deliveries of a crisis as CSV, XLSX or HXL."""
    crisis = crisis_by_code(code)
    data = exporters.export(request.user, crisis, table, format)
    return _file(data, format, f"{crisis.code}-{table}")
