"""The inbound endpoint: who may send, signatures, the timestamp window, replays, key
rotation, and snapshots applied only when newer (in-process, real HTTP stack)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from aidbridge.audit.models import AuditEntry
from aidbridge.federation import services
from aidbridge.federation.models import InboundMessage, Mirror, Partner
from aidbridge.federation.tests.conftest import K_THEY_SIGN, send
from aidbridge.federation.tests.snapshots import ercc_snapshot
from aidbridge.ledger.sums import line_figures, total
from aidbridge.requests.models import RequestForAssistance

pytestmark = pytest.mark.django_db


def mirrored() -> RequestForAssistance:
    return Mirror.objects.get(origin_gid="ERCC:rfa:9").rfa


def test_a_snapshot_makes_a_mirror_marked_with_its_origin(ercc: Partner, items: Any) -> None:
    answer = send(ercc_snapshot(1))
    assert answer.status_code == 200, answer.json()
    rfa = mirrored()
    assert rfa.status == "circulated" and rfa.reference == "ERCC-RFA-2020-0012"
    assert str(rfa.mirror) == "via ERCC, RFA-2020-0012"
    assert AuditEntry.objects.filter(action="federation.snapshot", target_id=rfa.pk).exists()


def test_the_same_message_twice_is_a_replay_that_changes_nothing(ercc: Partner, items: Any) -> None:
    assert send(ercc_snapshot(1), message_id="msg_a").json()["replay"] is False
    again = send(ercc_snapshot(1), message_id="msg_a")
    assert again.status_code == 200 and again.json()["replay"] is True
    assert InboundMessage.objects.filter(message_id="msg_a").count() == 1
    assert RequestForAssistance.objects.filter(mirror__isnull=False).count() == 1


def test_an_older_version_after_a_newer_one_is_ignored(ercc: Partner, items: Any) -> None:
    send(ercc_snapshot(3, accepted=60, dispatched=60), message_id="msg_3")
    late = send(ercc_snapshot(2, accepted=20), message_id="msg_2")
    assert late.status_code == 200 and late.json()["outcome"].startswith("stale")
    figures = vars(total(line_figures(list(mirrored().lines.all())).values()))
    assert (figures["accepted"], figures["dispatched"]) == (60, 60)


def test_a_newer_version_updates_the_mirror_and_its_ledger(ercc: Partner, items: Any) -> None:
    send(ercc_snapshot(1), message_id="msg_1")
    send(ercc_snapshot(2, accepted=60, dispatched=40), message_id="msg_2")
    figures = vars(total(line_figures(list(mirrored().lines.all())).values()))
    assert (figures["requested"], figures["accepted"], figures["dispatched"]) == (100, 60, 40)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"key": "fedsec_not-their-key-0123456789"}, 401, "bad_signature"),
        ({"tamper": ercc_snapshot(1).replace(b"100", b"999")}, 401, "bad_signature"),
        ({"centre": "NOBODY"}, 403, "unknown_centre"),
        ({"timestamp": int(time.time()) - 11 * 60}, 401, "stale_timestamp"),
        ({"timestamp": int(time.time()) + 11 * 60}, 401, "stale_timestamp"),
    ],
)
def test_refusals_name_why_and_are_audited(
    ercc: Partner, items: Any, change: dict[str, Any], status: int, code: str
) -> None:
    answer = send(ercc_snapshot(1), **change)
    assert answer.status_code == status
    assert answer.json()["code"] == code
    assert not Mirror.objects.exists()
    if code != "unknown_centre":
        assert AuditEntry.objects.filter(action="federation.refused", to_state=code).exists()


@pytest.mark.parametrize("minutes", [5, -5])
def test_clocks_five_minutes_apart_still_talk(ercc: Partner, items: Any, minutes: int) -> None:
    answer = send(ercc_snapshot(1), timestamp=int(time.time()) + minutes * 60)
    assert answer.status_code == 200, answer.json()


def test_a_key_rotates_without_downtime(ercc: Partner, items: Any, users: Any) -> None:
    new = "fedsec_they-sign-NEW-0123456789abcdef"
    services.add_key(users["head"], ercc, "verify", new)
    # During the overlap both keys verify.
    assert send(ercc_snapshot(1), key=K_THEY_SIGN, message_id="m1").status_code == 200
    assert send(ercc_snapshot(2), key=new, message_id="m2").status_code == 200
    old = ercc.keys.get(secret=K_THEY_SIGN)
    services.retire_key(users["head"], old, timezone.now() - timedelta(seconds=1))
    assert send(ercc_snapshot(3), key=K_THEY_SIGN, message_id="m3").status_code == 401
    assert send(ercc_snapshot(3), key=new, message_id="m4").status_code == 200


def test_a_request_of_another_centre_or_crisis_is_refused(ercc: Partner, items: Any) -> None:
    forged = ercc_snapshot(1).replace(b'"ERCC:rfa:9"', b'"EADRCC:rfa:1"')
    answer = send(forged)
    assert answer.status_code == 422 and "own requests" in answer.json()["detail"]
    ercc.crises.clear()
    assert send(ercc_snapshot(1), message_id="m9").status_code == 422


def test_a_decision_on_a_mirror_is_refused_here(
    ercc: Partner, items: Any, users: dict[str, Any]
) -> None:
    from aidbridge.core.errors import NotAllowed
    from aidbridge.offers import services as offers

    send(ercc_snapshot(1))
    line = mirrored().offers.get().lines.get()
    with pytest.raises(NotAllowed, match="origin centre"):
        offers.accept_offer_line(users["ita"], line, 10)
    line.refresh_from_db()
    assert line.accepted == 0


@pytest.mark.parametrize(
    ("language", "says"),
    [("en", "decided at the origin centre"), ("fr", "décidée au centre d\u2019origine")],
)
def test_the_mirror_page_and_api_name_the_origin(
    ercc: Partner, items: Any, users: dict[str, Any], language: str, says: str
) -> None:
    from django.test import Client
    from django.urls import reverse

    send(ercc_snapshot(1))
    rfa = mirrored()
    deu = users["deu"]
    deu.profile.language = language
    deu.profile.save()
    client = Client()
    client.force_login(deu)
    page = client.get(reverse("web:rfa_detail", args=[rfa.pk])).content.decode()
    assert "via EU ERCC, RFA-2020-0012" in page and says in page
    detail = client.get(f"/api/v1/rfas/{rfa.pk}").json()
    assert detail["origin"]["reference"] == "RFA-2020-0012"
    assert detail["origin"]["label"] == "via EU ERCC, RFA-2020-0012"


def test_a_partner_we_only_send_to_may_not_send_us_requests(ercc: Partner, items: Any) -> None:
    ercc.direction = "send"
    ercc.save()
    answer = send(ercc_snapshot(1))
    assert answer.status_code == 403 and answer.json()["code"] == "not_shared"
    assert not Mirror.objects.exists()
