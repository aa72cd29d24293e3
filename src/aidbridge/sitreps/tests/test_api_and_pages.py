"""Sitreps through HTTP: the API, the admin, the pages, the public page and its feed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client

from aidbridge.sitreps.models import Sitrep

pytestmark = pytest.mark.django_db


def draft_and_publish(api: Callable[[str | None], Any], text: str = "Situation.") -> dict:
    duty, head = api("duty"), api("head")
    created = duty.post("/crises/covid-19-2020/sitreps", {})
    assert created.status_code == 201, created.json()
    sid = created.json()["id"]
    patched = duty.patch(f"/sitreps/{sid}", {"general_situation": text, "releasable": True})
    assert patched.status_code == 200, patched.json()
    published = head.post(f"/sitreps/{sid}/publish")
    assert published.status_code == 200, published.json()
    return published.json()


def test_flow_through_the_api(api: Any, crisis: Any, first_state: Any):
    body = draft_and_publish(api)
    assert body["status"] == "published" and body["sequence"] == 1
    assert body["message_number"].startswith("OPS(AIDB)(")
    assert body["rfas"] == sorted([first_state["ita"].reference, first_state["esp"].reference])
    assert re.fullmatch(r"\d{6}Z [A-Z]{3} \d\d", body["dtg"])

    listed = api("ita").get("/crises/covid-19-2020/sitreps").json()
    assert [s["message_number"] for s in listed["items"]] == [body["message_number"]]

    pdf = api("ocha").get(f"/sitreps/{body['id']}/download", format="pdf", lang="fr")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "-fr.pdf" in pdf["Content-Disposition"]
    html = api("ocha").get(f"/sitreps/{body['id']}/download", format="html", lang="en")
    assert html.status_code == 200 and b"General situation" in html.content
    bad = api("ocha").get(f"/sitreps/{body['id']}/download", format="html", lang="de")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "lang"
    annex = api("ocha").get(f"/sitreps/{body['id']}/download", format="pdf", part="annex")
    assert annex.status_code == 200 and annex.content.startswith(b"%PDF")
    assert "-annex-en.pdf" in annex["Content-Disposition"]
    assert body["downloads"]["annex_html_fr"].endswith("format=html&lang=fr&part=annex")
    wrong = api("ocha").get(f"/sitreps/{body['id']}/download", part="appendix")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "part"

    detail = api("ita").get(f"/sitreps/{body['id']}").json()
    figures = {(r["nation"], r["item"]): r for r in detail["figures"]["requests"]}
    assert figures[("ITA", "MASK-SURG")]["accepted"] == 30000


def test_published_cannot_be_edited_through_the_api(api: Any, crisis: Any):
    body = draft_and_publish(api)
    refused = api("duty").patch(f"/sitreps/{body['id']}", {"assessment": "rewritten"})
    assert refused.status_code == 409
    assert "published" in refused.json()["detail"]
    again = api("head").post(f"/sitreps/{body['id']}/publish")
    assert again.status_code == 409
    assert Sitrep.objects.get(pk=body["id"]).assessment == ""


def test_api_roles_and_bad_input(api: Any, crisis: Any):
    assert api("ita").post("/crises/covid-19-2020/sitreps", {}).status_code == 403
    assert api(None).get("/crises/covid-19-2020/sitreps").status_code == 401
    sid = api("duty").post("/crises/covid-19-2020/sitreps", {}).json()["id"]
    # Drafts are the centre's working papers.
    assert api("ita").get(f"/sitreps/{sid}").status_code == 404
    assert api("ita").get("/crises/covid-19-2020/sitreps").json()["count"] == 0
    unknown = api("duty").patch(f"/sitreps/{sid}", {"sequence": 9})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "sequence"
    bad = api("duty").patch(f"/sitreps/{sid}", {"precedence": "URGENT"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "precedence"
    empty = api("head").post(f"/sitreps/{sid}/publish")
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "general_situation"
    assert api("duty").post(f"/sitreps/{sid}/publish").status_code == 403
    missing = api("duty").post("/crises/covid-19-2020/sitreps", {"corrects": 999})
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "corrects"


def test_published_cannot_be_edited_in_the_admin(api: Any, users: dict[str, Any], crisis: Any):
    body = draft_and_publish(api, "As approved.")
    head = users["head"]
    head.is_staff = True
    head.is_superuser = True
    head.save()
    client = Client()
    client.force_login(head)
    url = f"/admin/sitreps/sitrep/{body['id']}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="general_situation"' not in page.content  # shown read-only
    posted = client.post(url, {"general_situation": "rewritten", "marking_en": "X"})
    assert posted.status_code == 403
    assert Sitrep.objects.get(pk=body["id"]).general_situation == "As approved."
    assert (
        client.post(f"/admin/sitreps/sitrep/{body['id']}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_pages_need_login_and_public_page_lists_releasable(
    api: Any, users: dict[str, Any], crisis: Any, first_state: Any
):
    released = draft_and_publish(api, "Released.")
    internal = api("duty").post("/crises/covid-19-2020/sitreps", {}).json()
    api("duty").patch(f"/sitreps/{internal['id']}", {"general_situation": "Internal."})
    internal = api("head").post(f"/sitreps/{internal['id']}/publish").json()
    assert internal["releasable"] is True  # carried over from the previous sitrep
    api("duty").post("/crises/covid-19-2020/sitreps", {})  # a draft stays off the page

    anonymous = Client()
    assert anonymous.get(f"/sitreps/{released['id']}/").status_code == 302
    assert anonymous.get("/crises/covid-19-2020/sitreps/").status_code == 302
    listing = anonymous.get("/public/sitreps/")
    assert listing.status_code == 200
    assert released["message_number"].encode() in listing.content
    page = anonymous.get(f"/public/sitreps/{released['id']}/", {"lang": "fr"})
    assert page.status_code == 200 and "Situation générale" in page.content.decode()
    assert anonymous.get(f"/public/sitreps/{released['id']}/pdf/").content.startswith(b"%PDF")
    # The body links its annex, which lists the request lines in full.
    annex_link = f"/public/sitreps/{released['id']}/?lang=fr&amp;part=annex"
    assert annex_link in page.content.decode()
    annex = anonymous.get(f"/public/sitreps/{released['id']}/", {"lang": "fr", "part": "annex"})
    assert "Annexe A — tableaux détaillés" in annex.content.decode()
    assert 'data-row="ITA|MASK-SURG"' in annex.content.decode()
    assert anonymous.get(f"/public/sitreps/{released['id']}/", {"part": "x"}).status_code == 422

    feed = anonymous.get("/public/sitreps/feed/")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [
        e.text or "" for e in ElementTree.fromstring(feed.content).findall("a:entry/a:title", ns)
    ]
    assert len(titles) == 2 and titles[0].startswith(internal["message_number"])

    signed_in = Client()
    signed_in.force_login(users["ita"])
    doc = signed_in.get(f"/sitreps/{released['id']}/", {"lang": "en"})
    assert doc.status_code == 200 and b"sitreps/sitrep.css" in doc.content


def test_public_page_hides_what_is_not_releasable(api: Any, crisis: Any):
    sid = api("duty").post("/crises/covid-19-2020/sitreps", {}).json()["id"]
    api("duty").patch(f"/sitreps/{sid}", {"general_situation": "Internal only."})
    api("head").post(f"/sitreps/{sid}/publish")
    anonymous = Client()
    assert anonymous.get(f"/public/sitreps/{sid}/").status_code == 404
    assert b"Internal only." not in anonymous.get("/public/sitreps/feed/").content
