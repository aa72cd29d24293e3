"""Pages' side of EDXL: the public CAP alert of a released sitrep."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from aidbridge.edxl import cap
from aidbridge.edxl.envelope import serialise
from aidbridge.sitreps.models import Sitrep
from aidbridge.sitreps.selectors import public_sitreps


def public_cap(request: HttpRequest, pk: int) -> HttpResponse:
    """CAP 1.2 alert of a sitrep released to the public (404 for any other sitrep)."""
    sitrep = public_sitreps().filter(pk=pk).first()
    if sitrep is None:
        raise Http404("no public sitrep")
    assert isinstance(sitrep, Sitrep)
    link = request.build_absolute_uri(reverse("sitreps:public_document", args=[sitrep.pk]))
    response = HttpResponse(
        serialise(cap.alert(sitrep, link)), content_type="application/cap+xml; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
