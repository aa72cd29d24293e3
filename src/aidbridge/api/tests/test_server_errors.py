"""Server errors on /api/ answer JSON in the error shape, with a request id in the log.

Through the real HTTP stack (``django.test.Client`` and every middleware): a view that
fails, a database that cannot be reached (the connection itself refuses every query),
an unknown path, a body over Django's size limit.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.http import Http404
from django.test import Client

from aidbridge.api.requestid import HEADER
from aidbridge.crises import selectors

pytestmark = pytest.mark.django_db


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("the selector broke")


def _database_down(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("connection refused: is the server running?")


def test_a_failing_view_answers_json_500_with_the_logged_request_id(
    api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(selectors, "crisis_list", _boom)
    with caplog.at_level(logging.ERROR, logger="aidbridge.api"):
        response = api("ocha").get("/crises")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    rid = response[HEADER]
    assert body == {
        "detail": "internal error",
        "code": "internal_error",
        "errors": [],
        "request_id": rid,
    }
    [record] = [r for r in caplog.records if rid in r.getMessage()]
    assert "GET /api/v1/crises" in record.getMessage()
    assert record.exc_info is not None and "the selector broke" in str(record.exc_info[1])
    assert "the selector broke" not in response.content.decode()  # no internals leak


def test_a_sane_request_id_is_kept_and_an_insane_one_replaced(
    api, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = api("ocha")
    kept = client.client.get("/api/v1/me", headers={**client.headers, HEADER: "proxy-42.a:b"})
    assert kept.status_code == 200 and kept[HEADER] == "proxy-42.a:b"
    monkeypatch.setattr(selectors, "crisis_list", _boom)
    for hostile in ("x" * 101, "two words", "-leading-dash", "é"):
        response = client.client.get("/api/v1/crises", headers={**client.headers, HEADER: hostile})
        assert response.status_code == 500
        assert response[HEADER] != hostile
        assert response.json()["request_id"] == response[HEADER]


def test_every_answer_carries_a_fresh_request_id(api) -> None:
    first, second = api("ocha").get("/me"), api("ocha").get("/me")
    assert first[HEADER] and second[HEADER] and first[HEADER] != second[HEADER]


def test_a_database_error_in_a_view_answers_503(api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "crisis_list", _database_down)
    response = api("ocha").get("/crises")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert body["request_id"] == response[HEADER]
    assert set(body) == {"detail", "code", "errors", "request_id"}


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("get", {}),  # the bearer token is looked up inside the API
        ("post", {"Idempotency-Key": "k-1"}),  # the key is reserved in a middleware
    ],
)
def test_an_unreachable_database_answers_503_wherever_the_query_fails(
    api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, method, headers
) -> None:
    client = api("ocha")  # the token is written before the database goes away
    http = Client(raise_request_exception=False)
    monkeypatch.setattr(connection, "_cursor", _database_down)
    with caplog.at_level(logging.ERROR):
        response = getattr(http, method)(
            "/api/v1/crises",
            data={} if method == "post" else None,
            content_type="application/json" if method == "post" else None,
            headers={**client.headers, **headers},
        )
    monkeypatch.undo()
    assert response.status_code == 503, response.content[:300]
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert body["request_id"] == response[HEADER]
    assert any(body["request_id"] in r.getMessage() for r in caplog.records)


def test_an_unknown_api_path_is_a_json_404_and_a_page_stays_html(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such resource", "code": "not_found", "errors": []}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_a_body_over_the_limit_is_a_json_413(api, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api("ocha").post("/crises", {"name_en": "x" * 2048})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "the request body is too large",
        "code": "too_large",
        "errors": [],
    }


def test_djangos_own_404_inside_a_view_keeps_the_shape(
    api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*args: Any, **kwargs: Any) -> Any:
        raise Http404("gone")

    monkeypatch.setattr(selectors, "crisis_list", missing)
    response = api("ocha").get("/crises")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such resource", "code": "not_found", "errors": []}
