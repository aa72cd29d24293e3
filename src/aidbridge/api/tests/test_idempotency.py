"""``Idempotency-Key`` done properly: keys expire, a crashed request's key is taken over
after its lease, multipart retries compare content (not boundaries), refused requests
store nothing, limits apply first, and expired rows are purged."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.test.client import encode_multipart
from django.utils import timezone

from aidbridge.accounts.models import ApiToken, TokenScope
from aidbridge.api.models import IdempotencyRecord
from aidbridge.api.tasks import purge_idempotency_keys, schedule_purge
from aidbridge.requests.models import RequestForAssistance

NEEDS = b"request,item,quantity\r\nVentilators for Lombardy,VENT-ICU,150\r\n"


def _rfa(title: str = "Ventilators") -> dict:
    return {
        "crisis": "covid-19-2020",
        "title": title,
        "lines": [{"item": "VENT-ICU", "quantity": 5}],
    }


def _age(seconds: float) -> None:
    """Move every reservation ``seconds`` into the past."""
    for record in IdempotencyRecord.objects.all():
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            created_at=record.created_at - timedelta(seconds=seconds)
        )


def test_a_key_expires_after_its_window(api, items, crisis) -> None:
    client = api("ita")
    key = {"Idempotency-Key": "daily-report"}
    assert client.post("/rfas", _rfa(), headers=key).status_code == 201
    assert client.post("/rfas", _rfa(), headers=key)["Idempotent-Replayed"] == "true"
    _age(settings.IDEMPOTENCY_WINDOW.total_seconds() + 1)
    again = client.post("/rfas", _rfa(), headers=key)
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert RequestForAssistance.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1


def test_a_crashed_request_s_key_is_taken_over_after_the_lease(api, items, crisis) -> None:
    client = api("ita")
    raw = client.headers["Authorization"].removeprefix("Bearer ")
    body = json.dumps(_rfa())
    # What a process that died mid-request leaves: a reservation without an answer.
    IdempotencyRecord.objects.create(
        principal="token:" + hashlib.sha256(raw.encode()).hexdigest(),
        key="crashed",
        method="POST",
        path="/api/v1/rfas",
        request_hash=hashlib.sha256(b"/api/v1/rfas\0" + body.encode()).hexdigest(),
        owner="dead-process",
    )
    key = {"Idempotency-Key": "crashed"}
    waiting = client.post("/rfas", body, headers=key)
    assert waiting.status_code == 409
    assert "still being processed" in waiting.json()["detail"]
    assert not RequestForAssistance.objects.exists()

    _age(settings.IDEMPOTENCY_LEASE.total_seconds() + 1)
    retried = client.post("/rfas", body, headers=key)
    assert retried.status_code == 201, retried.json()
    replay = client.post("/rfas", body, headers=key)
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == retried.json()
    assert RequestForAssistance.objects.count() == 1


def _upload(client, boundary: str, data: bytes, key: str):
    file = StringIO(data.decode())
    file.name = "needs.csv"
    body = encode_multipart(boundary, {"file": file, "note": "from the field"})
    return client.client.generic(
        "POST",
        "/api/v1/imports/needs?crisis=covid-19-2020",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={**client.headers, "Idempotency-Key": key},
    )


def test_a_retried_upload_with_a_new_boundary_is_replayed(api, items, crisis) -> None:
    client = api("ita")
    first = _upload(client, "first-attempt-boundary", NEEDS, "needs-1")
    assert first.status_code == 201, first.json()
    retry = _upload(client, "second-attempt-boundary-xyz", NEEDS, "needs-1")
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert RequestForAssistance.objects.count() == 1
    other_file = _upload(client, "third", NEEDS.replace(b"150", b"151"), "needs-1")
    assert other_file.status_code == 422
    assert other_file.json()["errors"][0]["field"] == "Idempotency-Key"


def test_an_upload_above_the_form_limit_gets_the_upload_s_own_answer(api, items, crisis) -> None:
    # 3 MB: more than Django's 2.5 MB for a form, less than the 20 MB upload limit.
    big = NEEDS + b"".join(b"# padding line %07d\r\n" % i for i in range(140_000))
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(big) < 20 * 1024 * 1024
    client = api("ita")
    response = _upload(client, "b", big, "big-1")
    # The importer read the file and refused the padding it found (a '#' row is taken
    # for HXL tags): the endpoint's own answer, in JSON, kept for the key.
    assert response.status_code == 422, response.content[:300]
    assert response.json()["code"] == "file_rejected"
    assert "'# padding line 0000000' is not an HXL tag" in response.json()["detail"]
    assert _upload(client, "c", big, "big-1")["Idempotent-Replayed"] == "true"


@override_settings(AIDBRIDGE_IMPORT_MAX_BYTES=10_000)
def test_an_upload_over_its_limit_is_a_413_and_stores_no_key(api, items, crisis) -> None:
    response = _upload(api("ita"), "b", NEEDS * 1000, "too-big")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "the limit is" in response.json()["detail"]
    assert not IdempotencyRecord.objects.exists()


def test_a_json_body_over_the_limit_is_a_413_and_stores_no_key(api, items, crisis) -> None:
    body = json.dumps({**_rfa(), "situation": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = api("ita").post("/rfas", body, headers={"Idempotency-Key": "huge"})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("credentials", ["none", "wrong", "revoked", "expired", "read_only"])
def test_a_refused_client_stores_no_key(api, users, items, crisis, credentials) -> None:
    client = api(None if credentials in ("none", "wrong") else "ita")
    if credentials == "wrong":
        client.headers["Authorization"] = "Bearer aidb_never-issued"
    token = ApiToken.objects.filter(user=users["ita"])
    if credentials == "revoked":
        token.update(revoked_at=timezone.now())
    elif credentials == "expired":
        token.update(expires_at=timezone.now())
    elif credentials == "read_only":
        token.update(scope=TokenScope.READ)
    for attempt in range(3):
        response = client.post("/rfas", _rfa(), headers={"Idempotency-Key": f"k-{attempt}"})
        assert response.status_code == (403 if credentials == "read_only" else 401)
    assert not IdempotencyRecord.objects.exists()
    assert not RequestForAssistance.objects.exists()


def test_a_long_path_with_a_key_is_a_404_not_a_500(api) -> None:
    response = api("ita").post("/" + "x" * 400, {}, headers={"Idempotency-Key": "long"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_purge_deletes_only_expired_keys(api, items, crisis) -> None:
    client = api("ita")
    client.post("/rfas", _rfa(), headers={"Idempotency-Key": "old"})
    _age(settings.IDEMPOTENCY_WINDOW.total_seconds() + 1)
    client.post("/rfas", _rfa(title="Fresh"), headers={"Idempotency-Key": "fresh"})
    out = StringIO()
    call_command("idempotency", "purge", stdout=out)
    assert "deleted 1 " in out.getvalue()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_purge_task_runs_and_schedules_itself_with_a_deferring_backend(api) -> None:
    IdempotencyRecord.objects.create(principal="user:1", key="k", method="POST", path="/")
    _age(settings.IDEMPOTENCY_WINDOW.total_seconds() + 1)
    # The tests' immediate backend cannot defer: the task purges and schedules nothing.
    assert purge_idempotency_keys.enqueue().return_value == 1
    assert schedule_purge() is False
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        from django_tasks_db.models import DBTaskResult

        assert schedule_purge() is True
        assert schedule_purge() is False  # one is waiting already
        waiting = DBTaskResult.objects.get()
        assert waiting.task_path == purge_idempotency_keys.module_path
        assert waiting.run_after > timezone.now() + timedelta(minutes=59)
