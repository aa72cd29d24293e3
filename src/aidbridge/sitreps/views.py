"""Pages for sitreps: the crisis's list (draft, publish), each sitrep as a document and
a PDF, and the public page with its Atom feed. Only the public views skip the login."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.core.errors import Conflict, DomainError, ValidationFailed
from aidbridge.core.refusals import attach_error
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.sitreps import render as sitrep_render
from aidbridge.sitreps import selectors, services
from aidbridge.sitreps.actions import draft_refusal, require_sitrep_action, sitrep_actions
from aidbridge.sitreps.api import file_response
from aidbridge.sitreps.forms import SitrepTextForm
from aidbridge.sitreps.labels import Labels, label
from aidbridge.sitreps.models import Sitrep, SitrepRendering
from aidbridge.sitreps.renderings import sitrep_response


def _lang(request: HttpRequest) -> str:
    asked = request.GET.get("lang") or translation.get_language() or "en"
    return "fr" if asked.startswith("fr") else "en"


def _part(request: HttpRequest) -> str:
    """``?part=annex`` asks for the annex of per-line tables instead of the sitrep."""
    return sitrep_render.check_part(request.GET.get("part") or "body")


def _nav(sitrep: Sitrep, lang: str, part: str, *, public: bool) -> str:
    prefix = "sitreps:public_" if public else "sitreps:"
    other = "en" if lang == "fr" else "fr"
    doc = reverse(prefix + "document", args=[sitrep.pk])
    pdf = reverse(prefix + "pdf", args=[sitrep.pk])
    back = (
        reverse("sitreps:public_list")
        if public
        else reverse("sitreps:crisis_list", args=[sitrep.crisis.code])
    )
    other_part = "body" if part == "annex" else "annex"
    return format_html(
        '<a href="{}">←</a> · <a href="{}?lang={}&amp;part={}" hreflang="{}">{}</a> · '
        '<a class="pdf" href="{}?lang={}&amp;part={}">{}</a> · '
        '<a class="part" href="{}?lang={}&amp;part={}">{}</a>',
        back,
        doc,
        other,
        part,
        other,
        label("other_language", lang),
        pdf,
        lang,
        part,
        label("download_pdf", lang),
        doc,
        lang,
        other_part,
        label("sitrep" if part == "annex" else "annex_title", lang),
    )


def _document(request: HttpRequest, sitrep: Sitrep, *, public: bool) -> HttpResponse:
    lang, part = _lang(request), _part(request)
    annex_url = reverse(
        "sitreps:public_document" if public else "sitreps:document", args=[sitrep.pk]
    )

    def make() -> bytes:
        html = sitrep_render.render_html(
            sitrep,
            lang,
            part=part,
            standalone=False,
            nav=_nav(sitrep, lang, part, public=public),
            annex_url=f"{annex_url}?lang={lang}&part=annex",
        )
        return str(html).encode()

    kind = SitrepRendering.Kind.PUBLIC_PAGE if public else SitrepRendering.Kind.PAGE
    response = sitrep_response(request, sitrep, kind, lang, part, make, "text/html; charset=utf-8")
    response["Content-Language"] = lang
    return response


@login_required
def crisis_list(request: HttpRequest, code: str) -> HttpResponse:
    crisis = crisis_by_code(code)
    lang = _lang(request)
    sitreps = list(selectors.visible_sitreps(request.user, crisis))
    for sitrep in sitreps:
        sitrep.actions = sitrep_actions(request.user, sitrep)  # type: ignore[attr-defined]
    return render(
        request,
        "sitreps/crisis_list.html",
        {
            "crisis": crisis,
            "nav": "sitreps",
            "crisis_name": crisis.name_fr if lang == "fr" else crisis.name_en,
            "sitreps": sitreps,
            "L": Labels(lang),
            "lang": lang,
            "may_draft": draft_refusal(request.user, crisis) is None,
        },
    )


@login_required
@require_POST
def draft(request: HttpRequest, code: str) -> HttpResponse:
    crisis = crisis_by_code(code)
    try:
        sitrep = services.draft_sitrep(request.user, crisis)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    return redirect("sitreps:edit", sitrep.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    sitrep = selectors.get_sitrep(request.user, pk)
    try:
        published = services.publish_sitrep(request.user, sitrep)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect("sitreps:edit", sitrep.pk)
    messages.success(
        request,
        _("%(number)s is published as SITREP No. %(sequence)s.")
        % {"number": published.message_number, "sequence": published.sequence},
    )
    return redirect("sitreps:crisis_list", sitrep.crisis.code)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The duty officer writes the free text of a draft; the head of centre publishes
    it from the same page. A published sitrep is shown, never edited."""
    sitrep = selectors.get_sitrep(request.user, pk)
    if sitrep.is_published:
        return redirect("sitreps:document", sitrep.pk)
    require_sitrep_action(request.user, sitrep, "edit")
    form = SitrepTextForm.of(sitrep)
    if request.method == "POST":
        form = SitrepTextForm(request.POST)
        if form.is_valid():
            try:
                services.update_sitrep_text(request.user, sitrep, **form.cleaned_data)
            except DomainError as exc:
                if not attach_error(form, exc):
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("sitreps:edit", sitrep.pk)
    return render(
        request,
        "sitreps/edit.html",
        {
            "crisis": sitrep.crisis,
            "nav": "sitreps",
            "sitrep": sitrep,
            "form": form,
            "actions": sitrep_actions(request.user, sitrep),
        },
        status=422 if form.errors else 200,
    )


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    return _document(request, selectors.get_sitrep(request.user, pk), public=False)


@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    sitrep = selectors.get_sitrep(request.user, pk)
    return file_response(request, sitrep, "pdf", _lang(request), inline=True, part=_part(request))


def public_list(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    return render(
        request,
        "sitreps/public_list.html",
        {"sitreps": selectors.public_sitreps(), "L": Labels(lang), "lang": lang},
    )


def public_document(request: HttpRequest, pk: int) -> HttpResponse:
    return _document(request, selectors.get_public_sitrep(pk), public=True)


def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    sitrep = selectors.get_public_sitrep(pk)
    return file_response(request, sitrep, "pdf", _lang(request), inline=True, part=_part(request))


class PublicSitrepFeed(Feed):
    """Atom feed of the sitreps released to the public, newest first."""

    feed_type = Atom1Feed
    title = "aidbridge — " + label("feed_title", "en") + " / " + label("feed_title", "fr")
    subtitle = "Published situation reports released to the public."

    def link(self) -> str:
        return reverse("sitreps:public_list")

    def items(self) -> Any:
        return selectors.public_sitreps()[:50]

    def item_title(self, item: Sitrep) -> str:
        return f"{item.message_number} — {item.crisis.name_en} / {item.crisis.name_fr}"

    def item_description(self, item: Sitrep) -> str:
        return item.general_situation

    def item_link(self, item: Sitrep) -> str:
        return reverse("sitreps:public_document", args=[item.pk])

    def item_pubdate(self, item: Sitrep) -> Any:
        return item.published_at

    def item_updateddate(self, item: Sitrep) -> Any:
        return item.published_at

    def item_guid(self, item: Sitrep) -> str:
        return f"urn:aidbridge:sitrep:{item.message_number}"

    item_guid_is_permalink = False
