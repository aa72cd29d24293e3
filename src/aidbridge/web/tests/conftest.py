"""Browser fixtures: one Chromium per test session (Debian's, driven by Playwright),
a fresh context per test, and signing in by session cookie where the test is not about
the login page itself.

Playwright's sync API runs an event loop in this thread, which trips Django's
async-unsafe guard when the test then touches the database: the guard is lifted for
the test process only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# Other test packages import ``browser`` from here, which makes pytest hold one copy of
# the fixture per package; Playwright's sync API allows one instance per thread, so a
# second copy reuses the running browser instead of starting Playwright again.
_running: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if "chromium" in _running:
        yield _running["chromium"]
        return
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _running["chromium"] = chromium
        try:
            yield chromium
        finally:
            del _running["chromium"]
            chromium.close()


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """``open_page(user=None, locale="en-GB")`` gives a page in a fresh browser context,
    signed in as ``user`` when given (through a real session cookie)."""
    contexts: list[Any] = []

    def make(user: Any = None, locale: str = "en-GB", width: int = 1280) -> Any:
        context = browser.new_context(
            locale=locale,
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        page.console_errors = []  # CSP violations and script errors land here
        page.on(
            "console",
            lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def italian_rfa(users: dict[str, Any], items: dict[str, Any], crisis: Any) -> Any:
    """Italy's request for 150 ventilators and 100,000 masks, circulated by the centre."""
    from aidbridge.requests import services

    rfa = services.create_rfa(
        users["ita"],
        crisis=crisis,
        title="Ventilators and masks for Lombardy",
        situation="ICU capacity exhausted in Bergamo and Milan.",
        lines=[
            {"item": "VENT-ICU", "quantity": 150, "priority": 1, "delivery_airport": "LIML"},
            {"item": "MASK-SURG", "quantity": 100_000, "priority": 2, "delivery_airport": "LIML"},
        ],
    )
    services.submit_rfa(users["ita"], rfa)
    services.circulate_request(users["duty"], rfa)
    rfa.refresh_from_db()
    return rfa
