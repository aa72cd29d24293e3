"""API: sitreps listed per crisis, drafted, edited, published and downloaded.

Downloads are the same HTML document and PDF the pages offer, in the language asked
for (``lang=en|fr``), so a capital's message handling system can fetch them directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from aidbridge.api.pagination import Page, PageParams, paginate
from aidbridge.api.schemas import Id, InputSchema, PathId, chars
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.sitreps import render, selectors, services
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.renderings import sitrep_response

router = Router(tags=["sitreps"])


class SitrepOut(Schema):
    id: int
    crisis: str = Field(..., alias="crisis.code")
    status: Sitrep.Status
    sequence: int | None
    message_number: str | None
    dtg: str | None
    published_at: datetime | None
    marking_en: str
    marking_fr: str
    precedence: Sitrep.Precedence
    from_line: str
    to_line: str
    originator: str = Field(..., alias="originator.username")
    approved_by: str | None
    rfas: list[str]
    general_situation: str
    general_situation_fr: str
    assessment: str
    assessment_fr: str
    corrects: int | None = Field(None, alias="corrects_id")
    releasable: bool
    downloads: dict[str, str]

    @staticmethod
    def resolve_dtg(obj: Sitrep) -> str | None:
        return render.dtg(obj.published_at) if obj.published_at else None

    @staticmethod
    def resolve_approved_by(obj: Sitrep) -> str | None:
        return obj.approved_by.get_username() if obj.approved_by else None

    @staticmethod
    def resolve_rfas(obj: Sitrep) -> list[str]:
        return sorted(str(r.reference) for r in obj.rfas.all())

    @staticmethod
    def resolve_downloads(obj: Sitrep) -> dict[str, str]:
        base = f"/api/v1/sitreps/{obj.pk}/download"
        links = {
            f"{fmt}_{lang}": f"{base}?format={fmt}&lang={lang}"
            for fmt in ("html", "pdf")
            for lang in ("en", "fr")
        }
        links.update(
            {
                f"annex_{fmt}_{lang}": f"{base}?format={fmt}&lang={lang}&part=annex"
                for fmt in ("html", "pdf")
                for lang in ("en", "fr")
            }
        )
        return links


class SitrepDetailOut(SitrepOut):
    figures: dict[str, Any]

    @staticmethod
    def resolve_figures(obj: Sitrep) -> dict[str, Any]:
        return selectors.figures_of(obj)


class SitrepDraftIn(InputSchema):
    corrects: Id | None = Field(None, description="id of the published sitrep to correct")


class SitrepPatch(InputSchema):
    general_situation: str | None = None
    general_situation_fr: str | None = None
    assessment: str | None = None
    assessment_fr: str | None = None
    marking_en: str | None = chars(Sitrep, "marking_en", None)
    marking_fr: str | None = chars(Sitrep, "marking_fr", None)
    precedence: Sitrep.Precedence | None = None
    from_line: str | None = chars(Sitrep, "from_line", None)
    to_line: str | None = None
    releasable: bool | None = None


class DownloadParams(Schema):
    format: Literal["html", "pdf"] = "pdf"
    lang: Literal["en", "fr"] = "en"
    part: Literal["body", "annex"] = "body"


def _with_rfas(qs: Any) -> Any:
    return qs.prefetch_related("rfas")


@router.get("/crises/{code}/sitreps", response=Page[SitrepOut])
def list_sitreps(request: HttpRequest, code: str, page: Query[PageParams]) -> dict[str, Any]:
    crisis = crisis_by_code(code)
    return paginate(request, _with_rfas(selectors.visible_sitreps(request.user, crisis)), page)


@router.post("/crises/{code}/sitreps", response={201: SitrepOut})
def draft(request: HttpRequest, code: str, payload: SitrepDraftIn) -> Status[Sitrep]:
    crisis = crisis_by_code(code)
    corrects = (
        selectors.get_sitrep(request.user, payload.corrects, field="corrects")
        if payload.corrects
        else None
    )
    return Status(201, services.draft_sitrep(request.user, crisis, corrects=corrects))


@router.get("/sitreps/{sitrep_id}", response=SitrepDetailOut)
def get(request: HttpRequest, sitrep_id: PathId) -> Sitrep:
    return selectors.get_sitrep(request.user, sitrep_id)


@router.patch("/sitreps/{sitrep_id}", response=SitrepOut)
def update(request: HttpRequest, sitrep_id: PathId, payload: SitrepPatch) -> Sitrep:
    sitrep = selectors.get_sitrep(request.user, sitrep_id)
    return services.update_sitrep_text(request.user, sitrep, **payload.dict(exclude_unset=True))


@router.post("/sitreps/{sitrep_id}/publish", response=SitrepOut)
def publish(request: HttpRequest, sitrep_id: PathId) -> Sitrep:
    sitrep = selectors.get_sitrep(request.user, sitrep_id)
    return services.publish_sitrep(request.user, sitrep)


@router.get("/sitreps/{sitrep_id}/download")
def download(
    request: HttpRequest, sitrep_id: PathId, params: Query[DownloadParams]
) -> HttpResponse:
    sitrep = selectors.get_sitrep(request.user, sitrep_id)
    return file_response(
        request, sitrep, params.format, params.lang, inline=False, part=params.part
    )


def file_response(
    request: HttpRequest, sitrep: Sitrep, fmt: str, lang: str, *, inline: bool, part: str = "body"
) -> HttpResponse:
    """The sitrep (or its annex) as a file; shared with the pages. A published sitrep's
    file is rendered once and then served from storage (``sitreps.renderings``)."""
    if fmt == "pdf":

        def make() -> bytes:
            return render.render_pdf(sitrep, lang, part=part)

        content_type = "application/pdf"
    else:

        def make() -> bytes:
            return str(render.render_html(sitrep, lang, part=part, standalone=True)).encode()

        content_type = "text/html; charset=utf-8"
    response = sitrep_response(request, sitrep, fmt, lang, part, make, content_type)
    disposition = "inline" if inline else "attachment"
    name = render.filename(sitrep, lang, fmt, part=part)
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Content-Language"] = lang
    return response
