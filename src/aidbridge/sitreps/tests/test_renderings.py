"""A published sitrep is rendered once and then served from storage with caching
headers, on the public pages, the signed-in pages and the API download; a draft is
rendered afresh every time."""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils.http import http_date

from aidbridge.interop.backup import write_backup
from aidbridge.sitreps import render
from aidbridge.sitreps.models import Sitrep, SitrepRendering
from aidbridge.sitreps.renderings import stored_rendering
from aidbridge.sitreps.tests.test_api_and_pages import draft_and_publish

pytestmark = pytest.mark.django_db


def count_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[Any, ...]]:
    """Each call of ``render.<name>`` is recorded, then rendered for real."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(render, name)

    def counted(sitrep: Sitrep, lang: str, **kwargs: Any) -> Any:
        calls.append((sitrep.pk, lang, kwargs.get("part", "body")))
        return real(sitrep, lang, **kwargs)

    monkeypatch.setattr(render, name, counted)
    return calls


def publish(api: Callable[[str | None], Any], *, releasable: bool) -> Sitrep:
    body = draft_and_publish(api)
    if not releasable:  # the next one carries "releasable" over; turn it off first
        sid = api("duty").post("/crises/covid-19-2020/sitreps", {}).json()["id"]
        api("duty").patch(f"/sitreps/{sid}", {"general_situation": "Inner.", "releasable": False})
        body = api("head").post(f"/sitreps/{sid}/publish").json()
    return Sitrep.objects.get(pk=body["id"])


def test_public_pdf_is_rendered_once_and_revalidated(
    api: Any, users: dict[str, Any], crisis: Any, first_state: Any, monkeypatch: Any
):
    sitrep = publish(api, releasable=True)
    calls = count_calls(monkeypatch, "render_pdf")
    anonymous = Client()
    url = f"/public/sitreps/{sitrep.pk}/pdf/"

    first = anonymous.get(url)
    second = anonymous.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content.startswith(b"%PDF") and second.content == first.content
    assert calls == [(sitrep.pk, "en", "body")]
    assert first["ETag"] == f'"{hashlib.sha256(first.content).hexdigest()}"' == second["ETag"]
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert sitrep.published_at is not None
    assert first["Last-Modified"] == http_date(sitrep.published_at.timestamp())

    again = anonymous.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    stale = anonymous.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == first.content

    # The signed-in page and the API serve the same stored file.
    signed_in = Client()
    signed_in.force_login(users["ita"])
    assert signed_in.get(f"/sitreps/{sitrep.pk}/pdf/").content == first.content
    download = api("ocha").get(f"/sitreps/{sitrep.pk}/download", format="pdf")
    assert download.content == first.content and "attachment" in download["Content-Disposition"]
    assert calls == [(sitrep.pk, "en", "body")]

    # Each language and part is its own file, rendered once too.
    assert anonymous.get(url, {"lang": "fr", "part": "annex"}).status_code == 200
    anonymous.get(url, {"lang": "fr", "part": "annex"})
    assert calls == [(sitrep.pk, "en", "body"), (sitrep.pk, "fr", "annex")]


def test_pages_and_html_download_are_stored_per_channel(
    api: Any, users: dict[str, Any], crisis: Any, first_state: Any, monkeypatch: Any
):
    sitrep = publish(api, releasable=True)
    calls = count_calls(monkeypatch, "render_html")
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(users["ita"])

    public = [anonymous.get(f"/public/sitreps/{sitrep.pk}/", {"lang": "fr"}) for _ in range(2)]
    inside = [signed_in.get(f"/sitreps/{sitrep.pk}/", {"lang": "fr"}) for _ in range(2)]
    html = [api("ocha").get(f"/sitreps/{sitrep.pk}/download", format="html") for _ in range(2)]
    assert len(calls) == 3
    for pair in (public, inside, html):
        assert pair[0].status_code == 200 and pair[0].content == pair[1].content
    # The public page links the public annex, the signed-in page the signed-in one.
    assert f"/public/sitreps/{sitrep.pk}/?lang=fr" in public[0].content.decode()
    assert f'href="/sitreps/{sitrep.pk}/?lang=fr' in inside[0].content.decode()
    assert public[0]["Content-Language"] == "fr"
    assert b"<style>" in html[0].content or b"<style " in html[0].content
    kinds = set(SitrepRendering.objects.filter(sitrep=sitrep).values_list("kind", flat=True))
    assert kinds == {"public_page", "page", "html"}


def test_not_releasable_is_cached_privately_and_304_checks_access(
    api: Any, users: dict[str, Any], crisis: Any, first_state: Any, monkeypatch: Any
):
    sitrep = publish(api, releasable=False)
    calls = count_calls(monkeypatch, "render_pdf")
    assert Client().get(f"/public/sitreps/{sitrep.pk}/pdf/").status_code == 404

    reader = api("ocha")
    path = f"/api/v1/sitreps/{sitrep.pk}/download"
    first = reader.client.get(path, {"format": "pdf"}, headers=reader.headers)
    assert first.status_code == 200
    assert "private" in first["Cache-Control"] and "public" not in first["Cache-Control"]
    etag = first["ETag"]
    again = reader.client.get(
        path, {"format": "pdf"}, headers={**reader.headers, "If-None-Match": etag}
    )
    assert again.status_code == 304 and "private" in again["Cache-Control"]
    # Holding the ETag is not access: without a token the API refuses before any 304.
    anonymous = Client().get(path, {"format": "pdf"}, headers={"If-None-Match": etag})
    assert anonymous.status_code == 401
    assert len(calls) == 1


def test_a_draft_renders_live_every_time(
    api: Any, users: dict[str, Any], crisis: Any, first_state: Any, monkeypatch: Any
):
    duty = api("duty")
    sid = duty.post("/crises/covid-19-2020/sitreps", {}).json()["id"]
    duty.patch(f"/sitreps/{sid}", {"general_situation": "Morning."})
    calls = count_calls(monkeypatch, "render_html")
    signed_in = Client()
    signed_in.force_login(users["duty"])

    morning = signed_in.get(f"/sitreps/{sid}/")
    duty.patch(f"/sitreps/{sid}", {"general_situation": "Evening."})
    evening = signed_in.get(f"/sitreps/{sid}/")
    assert b"Morning." in morning.content and b"Evening." in evening.content
    assert len(calls) == 2
    assert "ETag" not in evening and "no-cache" in evening["Cache-Control"]
    assert not SitrepRendering.objects.filter(sitrep_id=sid).exists()


def test_backup_leaves_renderings_out(api: Any, crisis: Any, first_state: Any, monkeypatch: Any):
    sitrep = publish(api, releasable=True)
    monkeypatch.setattr(render, "render_pdf", lambda *a, **k: b"%PDF-stub")
    Client().get(f"/public/sitreps/{sitrep.pk}/pdf/")
    assert SitrepRendering.objects.filter(sitrep=sitrep).count() == 1
    manifest = write_backup(io.BytesIO())
    assert "sitreps.sitrep" in manifest["counts"]
    assert "sitreps.sitreprendering" not in manifest["counts"]


def test_forget_drops_stored_renderings(api: Any, crisis: Any, first_state: Any, monkeypatch: Any):
    sitrep = publish(api, releasable=True)
    calls = count_calls(monkeypatch, "render_html")
    anonymous = Client()
    anonymous.get(f"/public/sitreps/{sitrep.pk}/")
    out = io.StringIO()
    call_command("sitrep", "forget", "covid-19-2020", stdout=out)
    assert out.getvalue().startswith("1 stored renderings dropped")
    assert not SitrepRendering.objects.exists()
    anonymous.get(f"/public/sitreps/{sitrep.pk}/")
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_first_requests_render_once(api: Any, crisis: Any, first_state: Any):
    sitrep = publish(api, releasable=True)
    calls: list[str] = []
    rendering = threading.Event()

    def make() -> bytes:
        calls.append(threading.current_thread().name)
        rendering.set()
        # Long enough that the other request asks while this one has not committed.
        threading.Event().wait(0.3)
        return b"%PDF-once"

    results: list[bytes] = []

    def fetch() -> None:
        try:
            results.append(bytes(stored_rendering(sitrep, "pdf", "en", "body", make).content))
        finally:
            connection.close()

    first = threading.Thread(target=fetch, name="first")
    first.start()
    rendering.wait(10)
    second = threading.Thread(target=fetch, name="second")
    second.start()
    first.join(10)
    second.join(10)
    assert calls == ["first"] and results == [b"%PDF-once", b"%PDF-once"]
