"""HTTPS behind the TLS proxy: the settings ``AIDBRIDGE_HTTPS=1`` produces, through the
real HTTP stack. Settings are read at import, so the settings module is executed again
with the variable set, and its security settings are applied to the test's requests."""

from __future__ import annotations

import importlib.util
import os
from typing import Any
from unittest import mock

import pytest
from django.test import Client, override_settings

import aidbridge.settings
from aidbridge.core.proxy import forwarded_proto

HSTS = "Strict-Transport-Security"


def https_settings() -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("https_settings", aidbridge.settings.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, {"AIDBRIDGE_HTTPS": "1"}):
        spec.loader.exec_module(module)
    names = [n for n in dir(module) if n.startswith("SECURE_") or n.endswith("_COOKIE_SECURE")]
    return {name: getattr(module, name) for name in names}


@pytest.fixture
def behind_proxy(db: Any) -> Any:
    with override_settings(**https_settings()):
        yield Client()


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-Proto": "https"},
        {"Forwarded": "for=192.0.2.60;proto=https;by=203.0.113.43"},
        {"Forwarded": 'for="[2001:db8::1]";Proto="HTTPS"'},
    ],
)
def test_a_request_the_proxy_marks_https_is_served_with_hsts(behind_proxy, headers) -> None:
    response = behind_proxy.get("/login/", headers=headers)
    assert response.status_code == 200
    assert response[HSTS].startswith("max-age=31536000")
    assert "Secure" in str(response.cookies["csrftoken"])


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Forwarded-Proto": "http"},
        {"Forwarded": "for=192.0.2.60;proto=http"},
        # X-Forwarded-Proto, when the proxy sends it, decides.
        {"X-Forwarded-Proto": "http", "Forwarded": "proto=https"},
    ],
)
def test_plain_http_still_redirects_to_https_without_hsts(behind_proxy, headers) -> None:
    response = behind_proxy.get("/login/?next=/", headers=headers)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/?next=/"
    assert HSTS not in response


def test_without_aidbridge_https_the_forwarded_header_is_ignored(client) -> None:
    response = client.get("/login/", headers={"Forwarded": "proto=https"})
    assert response.status_code == 200
    assert HSTS not in response


@pytest.mark.parametrize(
    ("header", "proto"),
    [
        ("proto=https", "https"),
        ("for=a;proto=http, for=b;proto=https", "https"),
        ("for=a;proto=https, for=b;proto=http", "http"),
        ("for=a", None),
        ("", None),
    ],
)
def test_the_last_element_of_forwarded_is_the_nearest_proxy(header, proto) -> None:
    assert forwarded_proto(header) == proto
