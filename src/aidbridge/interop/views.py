"""Importing needs (draft RFAs) or offers from a file, on a page.

The flow is check, then import. The dry run shows what the services would create and
every problem by row and column; the report page then asks for the same file again and
imports it for real, all or nothing. The file is never kept on the server: re-choosing
it costs the user one click, and in exchange there is no stored upload to expire, to
clean up, to share between server processes or to leak to another session. The
report's form carries the file's SHA-256, so the real import only accepts the very file
that was checked (a forged request without it is only a request the services check
again anyway).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from aidbridge.accounts.permissions import profile_of
from aidbridge.core.actions import refuse
from aidbridge.crises.models import Crisis
from aidbridge.interop import importers, templates
from aidbridge.interop.errors import FileRejected, ImportRejected
from aidbridge.interop.forms import FORMS, ImportForm
from aidbridge.interop.limits import check_upload_size, human, max_upload_bytes
from aidbridge.interop.uploads import LimitedUploadHandler
from aidbridge.interop.writers import CONTENT_TYPES, EXTENSIONS
from aidbridge.web.affordances import import_refusal

FORMATS = ("csv", "xlsx", "hxl")
PREVIEW_ROWS = 100  # the page shows this many planned lines; the totals cover them all
SERVICES = {"needs": importers.import_needs, "offers": importers.import_offers}


def _crisis_and_form(code: str, kind: str) -> tuple[Crisis, type[ImportForm]]:
    if kind not in FORMS:
        raise Http404("no such import")
    return get_object_or_404(Crisis, code=code), FORMS[kind]


@login_required
def import_template(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    """The file to fill: catalogue codes with English and French names (needs), or the
    crisis's circulated request lines (offers)."""
    profile_of(request.user)
    crisis, _form = _crisis_and_form(code, kind)
    if fmt not in FORMATS:
        raise Http404("no such format")
    if kind == "needs":
        data = templates.needs_template(fmt)
    else:
        data = templates.offers_template(request.user, fmt, crisis)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = f"aidbridge-{kind}-{crisis.code}.{EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@csrf_exempt  # only so the size-limited handler is in place before the body is read
@login_required
def import_page(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """The upload is received within the size limit before the CSRF check (which reads
    the form) runs; a file too large is refused without reading it, writing nothing."""
    if request.method == "POST":
        limit = max_upload_bytes()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
            check_upload_size(declared, limit=limit + 64 * 1024)  # multipart headers
            request.upload_handlers = [LimitedUploadHandler(request, limit)]
            request.POST  # noqa: B018 - parse now, within the limit
        except FileRejected as exc:
            return _page(request, code, kind, error=exc.message, status=exc.status)
    return _import_page(request, code, kind)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _import_page(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    if request.method != "POST":
        return _page(request, code, kind)
    crisis, form_class = _crisis_and_form(code, kind)
    refuse(import_refusal(request.user, crisis, kind))
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, code, kind, form=form, status=422)
    upload = form.cleaned_data["file"]
    data: bytes = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    confirm = request.POST.get("action") == "import"
    if confirm and form.cleaned_data["checked"] != digest:
        message = _("This is not the file you checked. Check it first, then import the same file.")
        return _page(request, code, kind, form=form_class(), error=message, status=422)
    try:
        report = SERVICES[kind](
            request.user,
            crisis=crisis,
            data=data,
            filename=upload.name or "upload",
            fmt=form.cleaned_data["format"] or None,
            dry_run=not confirm,
            **form.options(),
        )
    except ImportRejected as exc:
        context = {"problems": exc.problems, "rejected": True}
        return _page(request, code, kind, form=form_class(), status=422, **context)
    except FileRejected as exc:
        return _page(request, code, kind, form=form_class(), error=exc.message, status=exc.status)
    if confirm:
        return _imported(request, crisis, kind, report)
    # The confirm form keeps the options as typed and the checked file's fingerprint.
    kept = {**form.options(), "checked": digest, "format": form.cleaned_data["format"]}
    again = form_class(initial=kept)
    return _page(
        request,
        code,
        kind,
        form=again,
        report=report,
        problems=report.problems,
        filename=upload.name,
        lines=report.lines[:PREVIEW_ROWS],
    )


def _imported(
    request: HttpRequest, crisis: Crisis, kind: str, report: importers.ImportReport
) -> HttpResponse:
    lines = sum(int(c["lines"]) for c in report.created)
    made = len(report.created)
    if kind == "needs":
        text = ngettext("Imported: %(n)d draft request", "Imported: %(n)d draft requests", made)
        target = reverse("web:rfa_list")
    else:
        text = ngettext("Imported: %(n)d offer", "Imported: %(n)d offers", made)
        target = reverse("web:offer_list")
    text += " " + ngettext("(%(lines)d line).", "(%(lines)d lines).", lines)
    messages.success(request, text % {"lines": lines, "n": len(report.created)})
    return redirect(f"{target}?crisis={crisis.code}")


def _page(
    request: HttpRequest,
    code: str,
    kind: str,
    *,
    form: ImportForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    crisis, form_class = _crisis_and_form(code, kind)
    # No form for an import the services would refuse (403 for the role, 409 closed).
    refuse(import_refusal(request.user, crisis, kind))
    context = {
        "crisis": crisis,
        "kind": kind,
        "nav": "dashboard",
        "form": form or form_class(),
        "formats": FORMATS,
        "limit": human(max_upload_bytes()),
        **extra,
    }
    return render(request, "interop/import.html", context, status=status)
