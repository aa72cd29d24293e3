"""Fixtures shared by every app's tests: parties, one user per role, items, a crisis,
and an HTTP client that speaks to the real API with a real bearer token."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, is_hypothesis_test, seed, settings
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase

from aidbridge.accounts.models import ApiToken, Profile, Role
from aidbridge.accounts.tokens import hash_token, new_raw_token
from aidbridge.catalogue.models import Category, Item, Substitute
from aidbridge.crises.models import Crisis
from aidbridge.parties.models import Party


@pytest.fixture(autouse=True)
def _language_reset() -> Any:
    """Each test starts in the default language: a page rendered for a French reader
    leaves French active in the thread, and a later test would read French."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _cache_reset() -> Any:
    """Each test starts with an empty cache: answers are cached under keys made of the
    data's state (``api.cached``, ``web.selectors``), and a database rolled back to
    before the last test can give a new crisis the same id and state as an earlier
    one's."""
    cache.clear()
    yield


# --- Hypothesis profiles ---------------------------------------------------------------
# CI must pass on every clean checkout: each test runs the same examples every time (a
# seed fixed per test), after replaying the examples kept in the repository. Locally
# Hypothesis explores at random and remembers its failures in .hypothesis/ (ignored).
# Neither has a deadline: the tests go through the database on a shared machine, and a
# timing is not a behaviour. ``HYPOTHESIS_PROFILE`` chooses; ``CI=true`` means "ci";
# "keep" explores and saves what fails into the kept examples, to commit them for CI.
KEPT_EXAMPLES = Path(__file__).resolve().parents[2] / ".hypothesis-examples"
_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
}
settings.register_profile(
    "ci",
    database=ReadOnlyDatabase(DirectoryBasedExampleDatabase(KEPT_EXAMPLES)),
    print_blob=True,
    **_COMMON,
)
settings.register_profile("local", **_COMMON)
settings.register_profile(
    "keep", database=DirectoryBasedExampleDatabase(KEPT_EXAMPLES), print_blob=True, **_COMMON
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in ("true", "1") else "local")
)


def fixed_seed(name: str) -> int | None:
    """The seed the "ci" profile runs test ``name`` with (None elsewhere: explore).

    Not ``derandomize``: Hypothesis then refuses any example database, and CI must
    replay the kept examples. A seed per test (not ``--hypothesis-seed``, which also
    turns the database off) keeps both.
    """
    if settings.get_current_profile_name() != "ci":
        return None
    return zlib.crc32(name.encode())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        test = getattr(item, "function", None)
        number = fixed_seed(item.nodeid)
        if number is not None and test is not None and is_hypothesis_test(test):
            seed(number)(test)


@pytest.fixture
def parties(db: Any) -> dict[str, Party]:
    rows = [
        (
            "EADRCC",
            Party.Kind.CENTRE,
            "Euro-Atlantic Disaster Response Coordination Centre",
            "Centre euro-atlantique de coordination des réactions en cas de catastrophe",
        ),
        ("ITA", Party.Kind.NATION, "Italy", "Italie"),
        ("ESP", Party.Kind.NATION, "Spain", "Espagne"),
        ("DEU", Party.Kind.NATION, "Germany", "Allemagne"),
        ("CZE", Party.Kind.NATION, "Czechia", "Tchéquie"),
        ("TUR", Party.Kind.NATION, "Türkiye", "Turquie"),
        ("NATO-STOCK", Party.Kind.ORGANISATION, "NATO stockpile", "Stock de l'OTAN"),
        ("UN-OCHA", Party.Kind.ORGANISATION, "UN OCHA", "OCHA (ONU)"),
    ]
    return {
        code: Party.objects.create(code=code, kind=kind, name_en=en, name_fr=fr)
        for code, kind, en, fr in rows
    }


@pytest.fixture
def make_user(parties: dict[str, Party]) -> Callable[..., Any]:
    def make(username: str, party: str, role: str, **extra: Any) -> Any:
        user = get_user_model().objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password="pw-" + username,
            **extra,
        )
        Profile.objects.create(user=user, party=parties[party], role=role)
        return user

    return make


@pytest.fixture
def users(make_user: Callable[..., Any]) -> dict[str, Any]:
    """One user per role; POCs for several nations."""
    return {
        "duty": make_user("duty", "EADRCC", Role.CENTRE_OFFICER),
        "head": make_user("head", "EADRCC", Role.CENTRE_HEAD),
        "ita": make_user("ita-poc", "ITA", Role.NATIONAL_POC),
        "esp": make_user("esp-poc", "ESP", Role.NATIONAL_POC),
        "deu": make_user("deu-poc", "DEU", Role.NATIONAL_POC),
        "cze": make_user("cze-poc", "CZE", Role.NATIONAL_POC),
        "tur": make_user("tur-poc", "TUR", Role.NATIONAL_POC),
        "stock": make_user("stock-mgr", "NATO-STOCK", Role.NATIONAL_POC),
        "airlift": make_user("airlift", "EADRCC", Role.AIRLIFT_COORDINATOR),
        "ocha": make_user("ocha", "UN-OCHA", Role.OBSERVER),
    }


@pytest.fixture
def items(db: Any) -> dict[str, Item]:
    med = Category.objects.create(
        code="MED", name_en="Medical equipment", name_fr="Équipement médical"
    )
    ppe = Category.objects.create(
        code="PPE",
        name_en="Personal protective equipment",
        name_fr="Équipement de protection individuelle",
    )
    rows = [
        ("VENT-ICU", med, "ICU ventilator", "Respirateur de réanimation", "piece", "30", "0.25"),
        ("MASK-SURG", ppe, "Surgical mask", "Masque chirurgical", "piece", "0.004", "0.00005"),
        ("RESP-FFP2", ppe, "FFP2 respirator", "Masque FFP2", "piece", "0.006", "0.0001"),
        ("SUIT-PROT", ppe, "Protective suit", "Combinaison de protection", "piece", "0.5", "0.004"),
    ]
    out = {
        code: Item.objects.create(
            code=code,
            category=cat,
            name_en=en,
            name_fr=fr,
            unit=unit,
            unit_weight_kg=Decimal(w),
            unit_volume_m3=Decimal(v),
        )
        for code, cat, en, fr, unit, w, v in rows
    }
    Substitute.objects.create(need_item=out["MASK-SURG"], supply_item=out["RESP-FFP2"])
    return out


@pytest.fixture
def crisis(db: Any) -> Crisis:
    return Crisis.objects.create(
        code="covid-19-2020",
        name_en="COVID-19 pandemic 2020",
        name_fr="Pandémie de COVID-19 2020",
        started_on=date(2020, 3, 1),
    )


class ApiClient:
    """The real HTTP stack (Django's test client) with a real bearer token."""

    def __init__(self, user: Any | None):
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            raw = new_raw_token()
            ApiToken.objects.create(
                user=user, name="tests", prefix=raw[:12], key_hash=hash_token(raw)
            )
            self.headers["Authorization"] = f"Bearer {raw}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, headers=self.headers)

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str] | None) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return getattr(self.client, method)(
            "/api/v1" + path,
            data=data,
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self._send("post", path, {} if body is None else body, headers)

    def patch(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self._send("patch", path, body, headers)

    def put(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self._send("put", path, body, headers)

    def delete(self, path: str) -> Any:
        return self.client.delete("/api/v1" + path, headers=self.headers)


@pytest.fixture
def api(users: dict[str, Any]) -> Callable[[str | None], ApiClient]:
    """``api("ita")`` is an API client acting as the Italian POC; ``api(None)`` is anonymous."""
    return lambda who: ApiClient(users[who] if who else None)
