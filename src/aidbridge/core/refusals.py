"""The one adapter from the domain's exceptions to HTTP answers, for the API and the pages.

Services raise :mod:`aidbridge.core.errors` exceptions and never HTTP responses. This
module alone says what each becomes:

- its status: the ``status`` each class of ``core/errors.py`` declares next to its
  meaning (422, 403, 404, 409, else 400; a refusal that knows better, such as an upload
  over its size (413) or of the wrong media type (415), sets its own);
- for the API (``api/errors.py``): that status with ``{"detail", "code", "errors"}``;
- for the pages (``web.middleware.DomainErrorPagesMiddleware``, every page namespace):
  403 or 404 on the refusal page; any other refusal of a form sent (POST) becomes a
  message on the page the user came from (303, seen again by GET), and of a page asked
  for (GET) the refusal page with its status;
- for a form: the message next to the field it names (:func:`attach_error`).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from aidbridge.core.errors import DomainError

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def status_of(exc: DomainError) -> int:
    """The HTTP status of a refusal: its own if it carries one, else its class's."""
    return exc.status


def api_body(exc: DomainError) -> dict[str, object]:
    """The API's JSON error shape for a refusal, naming the field when there is one."""
    errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return {"detail": exc.message, "code": exc.code, "errors": errors}


def page_answer(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """What a page shows for a refusal its view did not handle itself."""
    status = status_of(exc)
    if status in (403, 404) or request.method in SAFE_METHODS:
        context = {"reason": exc.message, "not_found": status == 404}
        return render(request, "web/refused.html", context, status=status)
    messages.error(request, exc.message)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.status_code = 303  # see the page again, with the message, by GET
    return response


def attach_error(form: forms.Form, error: DomainError, prefix: str = "") -> bool:
    """Put a service's error next to the field it names; True when one matched.

    ``prefix`` strips a leading path (``lines.2.``) when the form is one of a set.
    """
    field = error.field or ""
    if prefix and field.startswith(prefix):
        field = field[len(prefix) :]
    if field in form.fields:
        form.add_error(field, error.message)
        return True
    return False
