"""Pictures of the demo's main pages, for the README, reviews and release notes.

The dashboard (as the duty officer), Italy's request (as Italy's point of contact, with
offers to decide) and the airlift page (as the airlift coordinator, with a plan) at a
laptop's width (1366 px) and a phone's (390 px), in English and in French, taken by
Chromium (Playwright) from a live server: the pages exactly as a browser shows them.

Each picture is written as ``<page>-<lang>-<width>.png`` with the whole page, and
``index.json`` lists what each one shows (address, title, first heading), so a check
does not have to trust the file names.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from aidbridge.accounts.models import Profile
from aidbridge.accounts.services import set_language
from aidbridge.airlift.models import AirliftPlanRun
from aidbridge.airlift.services import request_airlift_plan
from aidbridge.crises.models import Crisis
from aidbridge.demo.scenario import CRISIS_CODE
from aidbridge.requests.models import RequestForAssistance

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1366, 390)
LANGUAGES = ("en", "fr")
HEIGHT = 900
INLINE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass(frozen=True)
class Shot:
    file: str
    page: str
    language: str
    width: int
    height: int
    url: str
    title: str
    heading: str


def _pages() -> list[tuple[str, str, str]]:
    """(name, user, address) of each page to take."""

    italy = RequestForAssistance.objects.get(
        crisis__code=CRISIS_CODE, requester__code="ITA", title__startswith="Ventilators"
    )
    return [
        ("dashboard", "duty", f"/crises/{CRISIS_CODE}/"),
        ("request", "ita-poc", f"/rfas/{italy.pk}/"),
        ("airlift", "airlift", f"/crises/{CRISIS_CODE}/airlift/"),
    ]


def ensure_airlift_plan() -> None:
    """A finished airlift plan on the demo, so its page shows a schedule and a map
    (planned inline now if there is none)."""

    crisis = Crisis.objects.get(code=CRISIS_CODE)
    if AirliftPlanRun.objects.filter(crisis=crisis, status=AirliftPlanRun.Status.DONE).exists():
        return
    with override_settings(TASKS=INLINE_TASKS):
        request_airlift_plan(
            get_user_model().objects.get(username="airlift"), crisis, time_limit_s=5.0
        )


def _session(username: str) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@contextmanager
def _languages(usernames: set[str], language: str) -> Iterator[None]:
    """The users' pages in ``language`` (a signed-in user's language is their profile's),
    put back as they were afterwards."""

    users = get_user_model().objects.filter(username__in=usernames)
    before = dict(Profile.objects.filter(user__in=users).values_list("user_id", "language"))
    try:
        for user in users:
            set_language(user, language)
        yield
    finally:
        for user in users:
            set_language(user, before[user.pk])


@contextmanager
def serve() -> Iterator[str]:
    """The application on a free local port (static files from the finders, no
    collectstatic needed), in a thread, for as long as the block runs."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    server: Any = create_server(
        StaticFilesHandler(get_wsgi_application()), host="127.0.0.1", port=0, threads=4
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def take(out: Path, base_url: str) -> list[Shot]:
    """Every page, width and language into ``out``; returns what was written."""
    out.mkdir(parents=True, exist_ok=True)
    ensure_airlift_plan()
    pages = _pages()
    cookies = {user: _session(user) for _, user, _ in pages}
    shots: list[Shot] = []
    for language in LANGUAGES:
        # Database work stays outside Playwright's block: its event loop in this
        # thread would make Django refuse the queries (async-unsafe).
        with _languages(set(cookies), language):
            shots += _in_own_thread(partial(_browse, out, base_url, pages, cookies, language))
    (out / "index.json").write_text(
        json.dumps([asdict(s) for s in shots], indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return shots


def _in_own_thread(work: Callable[[], list[Shot]]) -> list[Shot]:
    """Run Playwright's sync API in a thread of its own: it refuses to start in a thread
    whose asyncio loop is running (a caller's, e.g. a test runner's or a notebook's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def _browse(
    out: Path,
    base_url: str,
    pages: list[tuple[str, str, str]],
    cookies: dict[str, str],
    language: str,
) -> list[Shot]:
    from playwright.sync_api import sync_playwright

    shots: list[Shot] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for name, user, path in pages:
                for width in WIDTHS:
                    shots.append(
                        _shot(browser, out, base_url, cookies[user], name, path, language, width)
                    )
        finally:
            browser.close()
    return shots


def _shot(
    browser: Any,
    out: Path,
    base_url: str,
    session: str,
    name: str,
    path: str,
    language: str,
    width: int,
) -> Shot:
    context = browser.new_context(
        base_url=base_url, viewport={"width": width, "height": HEIGHT}, locale=language
    )
    try:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )
        page = context.new_page()
        response = page.goto(path, wait_until="networkidle")
        if response is None or response.status != 200:
            raise RuntimeError(f"{path} answered {response.status if response else 'nothing'}")
        file = f"{name}-{language}-{width}.png"
        page.screenshot(path=str(out / file), full_page=True)
        size = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollHeight]")
        return Shot(
            file=file,
            page=name,
            language=language,
            width=int(size[0]),
            height=int(size[1]),
            url=path,
            title=page.title(),
            heading=page.locator("h1").first.inner_text(),
        )
    finally:
        context.close()
