"""Every 4xx the API gives, through the real HTTP stack, in one JSON shape:
``{"detail": str, "code": str, "errors": [{"field", "message"}, ...]}`` and nothing else
(a request id is added to server errors only, see test_server_errors.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from aidbridge.requests.tests.conftest import rfa_body

pytestmark = pytest.mark.django_db


def _draft(api: Any, submit: bool = True) -> dict[str, Any]:
    rfa = api("ita").post("/rfas", rfa_body())
    assert rfa.status_code == 201, rfa.json()
    if submit:
        assert api("ita").post(f"/rfas/{rfa.json()['id']}/submit").status_code == 200
    return rfa.json()


def _bad_json(api: Any) -> Any:
    return api("ita").post("/rfas", "{not json")


def _no_credentials(api: Any) -> Any:
    return api(None).get("/me")


def _unknown_token(api: Any) -> Any:
    client = api(None)
    client.headers["Authorization"] = "Bearer aidb_never-issued"
    return client.get("/me")


def _nation_circulates(api: Any) -> Any:
    rfa = _draft(api)
    return api("ita").post(f"/rfas/{rfa['id']}/circulate")


def _unknown_rfa(api: Any) -> Any:
    return api("ita").get("/rfas/987654")


def _wrong_method(api: Any) -> Any:
    return api("ita").delete("/rfas")


def _circulated_twice(api: Any) -> Any:
    rfa = _draft(api)
    assert api("duty").post(f"/rfas/{rfa['id']}/circulate").status_code == 200
    return api("duty").post(f"/rfas/{rfa['id']}/circulate")


def _too_large(api: Any) -> Any:
    big = {**rfa_body(), "situation": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    return api("ita").post("/rfas", big)


def _zero_quantity(api: Any) -> Any:
    return api("ita").post("/rfas", rfa_body(lines=[{"item": "VENT-ICU", "quantity": 0}]))


def _throttled(api: Any) -> Any:
    def attempt(password: str) -> Any:
        return Client().post(
            "/api/v1/tokens",
            {"username": "ita-poc", "password": password, "name": "feed"},
            content_type="application/json",
        )

    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"wrong-{n}")
    return attempt("pw-ita-poc")  # the right password, too late


CASES: list[tuple[str, Callable[[Any], Any], int, str, str | None]] = [
    ("malformed JSON", _bad_json, 400, "malformed_json", "body"),
    ("no credentials", _no_credentials, 401, "unauthenticated", None),
    ("unknown token", _unknown_token, 401, "unauthenticated", None),
    ("a nation circulating", _nation_circulates, 403, "forbidden", None),
    ("unknown id", _unknown_rfa, 404, "not_found", None),
    ("method not allowed", _wrong_method, 405, "method_not_allowed", None),
    ("circulated twice", _circulated_twice, 409, "invalid_transition", None),
    ("body over the limit", _too_large, 413, "too_large", None),
    ("invalid field", _zero_quantity, 422, "validation_error", "lines.0.quantity"),
    ("sign-in throttled", _throttled, 429, "locked_out", None),
]


@pytest.mark.parametrize(
    ("make", "status", "code", "field"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_every_client_error_has_the_one_shape(
    api, items, crisis, make: Callable[[Any], Any], status: int, code: str, field: str | None
) -> None:
    response = make(api)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"].strip()
    assert body["code"] == code
    assert isinstance(body["errors"], list)
    for error in body["errors"]:
        assert set(error) == {"field", "message"} and error["message"].strip()
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body


def test_a_method_not_allowed_says_which_methods_the_path_takes(api) -> None:
    response = api("ita").delete("/rfas")
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert response.json()["detail"] == (
        "method not allowed: DELETE /api/v1/rfas takes " + response["Allow"]
    )
