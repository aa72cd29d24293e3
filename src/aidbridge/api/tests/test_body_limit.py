"""JSON bodies have a limit (2 MB), refused with a 413 in the API's error shape."""

from __future__ import annotations

import json

from django.conf import settings

from aidbridge.requests.models import RequestForAssistance


def _body(size: int) -> str:
    base = {"crisis": "covid-19-2020", "title": "t", "lines": [], "situation": ""}
    padding = size - len(json.dumps(base))
    return json.dumps({**base, "situation": "x" * padding})


def test_a_json_body_over_2_mb_is_a_413_in_the_error_shape(api, items, crisis) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_000_000
    body = _body(2 * 1024 * 1024)
    response = api("ita").post("/rfas", body)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "the request body is too large",
        "code": "too_large",
        "errors": [],
    }
    assert not RequestForAssistance.objects.exists()


def test_a_json_body_under_the_limit_is_read(api, items, crisis) -> None:
    # Read and judged on its content: the situation text is too long for its field.
    response = api("ita").post("/rfas", _body(1_000_000))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "situation"
