"""The in-app inbox through the HTTP API."""

from __future__ import annotations

from django.db import transaction

from aidbridge.notifications.services import notify


def _tell(users, crisis, who: str, n: int, kind: str = "rfa.circulated") -> None:
    with transaction.atomic():
        for i in range(n):
            notify(
                [users[who]],
                kind=kind,
                subject=f"Message {i}",
                body="Body",
                link="/api/v1/rfas/1",
                crisis=crisis,
            )


def test_a_user_reads_their_own_inbox_newest_first(api, users, crisis) -> None:
    _tell(users, crisis, "deu", 3)
    _tell(users, crisis, "esp", 1)
    body = api("deu").get("/notifications").json()
    assert body["count"] == 3
    assert [n["subject"] for n in body["items"]] == ["Message 2", "Message 1", "Message 0"]
    assert body["items"][0]["crisis"] == "covid-19-2020"
    assert body["items"][0]["read_at"] is None


def test_marking_read_one_or_all(api, users, crisis) -> None:
    _tell(users, crisis, "deu", 3)
    client = api("deu")
    first = client.get("/notifications").json()["items"][0]
    marked = client.post(f"/notifications/{first['id']}/read")
    assert marked.json()["read_at"] is not None
    assert client.get("/notifications", unread="true").json()["count"] == 2
    assert client.get("/notifications", unread="false").json()["count"] == 1
    assert client.post("/notifications/read-all").json() == {"marked": 2}
    assert client.get("/notifications", unread="true").json()["count"] == 0


def test_nobody_reads_or_marks_someone_elses_notifications(api, users, crisis) -> None:
    _tell(users, crisis, "deu", 1)
    theirs = api("deu").get("/notifications").json()["items"][0]
    assert api("esp").get("/notifications").json()["count"] == 0
    assert api("esp").post(f"/notifications/{theirs['id']}/read").status_code == 404
    assert api("duty").post(f"/notifications/{theirs['id']}/read").status_code == 404
    assert api("deu").get("/notifications", unread="true").json()["count"] == 1
    assert api(None).get("/notifications").status_code == 401


def test_filter_by_kind_and_crisis(api, users, crisis) -> None:
    _tell(users, crisis, "ita", 2, kind="rfa.returned")
    _tell(users, crisis, "ita", 1, kind="rfa.circulated")
    client = api("ita")
    assert client.get("/notifications", kind="rfa.returned").json()["count"] == 2
    assert client.get("/notifications", crisis="other").json()["count"] == 0
