"""The dashboard's map and chart served stale while recomputed (``web.picture``): after a
change the previous map and chart show with a translated "as of" note and one refresh
task queued; once the task has run, the next render is exactly a fresh computation with
no note. The key figures are never stale. Through Django's full stack and the real
database, with the tasks kept (``DummyBackend``) so the test runs them when it says."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation
from django_tasks import default_task_backend

from aidbridge.accounts.models import Role
from aidbridge.offers import services as offer_services
from aidbridge.reports.selectors import PICTURE_AUDIENCE
from aidbridge.web import picture

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S)
PICTURE = re.compile(
    r'<section class="panel dashboard-map".*?</section>\s*'
    r'<section class="panel dashboard-chart".*?</section>',
    re.S,
)
NOTE = re.compile(r'<p class="muted picture-as-of" role="status">(.*?)</p>', re.S)
EN_NOTE = "The map and the chart below show the figures as of"
FR_NOTE = "La carte et le graphique ci-dessous montrent les chiffres au"
FIGURES = re.compile(r'<dl class="figures">.*?</dl>', re.S)

pytestmark = pytest.mark.usefixtures("kept_tasks")


@pytest.fixture
def kept_tasks() -> Any:
    with override_settings(TASKS=DUMMY):
        default_task_backend.clear()  # type: ignore[attr-defined]
        yield


def _body(user: Any, crisis: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/crises/{crisis.code}/")
    assert response.status_code == 200
    found = MAIN.search(response.text)
    assert found is not None
    return found.group(1)


def _picture(body: str) -> str:
    found = PICTURE.search(body)
    assert found is not None
    return found.group(0)


def _fresh(user: Any, crisis: Any) -> str:
    """What a computation from nothing renders now (and no task queued by it)."""
    cache.clear()
    queued = len(_refreshes())
    body = _body(user, crisis)
    assert len(_refreshes()) == queued
    return body


def _refreshes() -> list[Any]:
    results = default_task_backend.results  # type: ignore[attr-defined]
    return [r for r in results if r.task.module_path == picture.refresh_picture.module_path]


def _run(result: Any) -> None:
    """What the worker does with a queued refresh."""
    result.task.call(*result.args, **result.kwargs)


@pytest.fixture
def offer_line(users: dict[str, Any], italian_rfa: Any) -> Any:
    vent = italian_rfa.lines.get(position=1)
    offer = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": vent.pk, "quantity": 50}]
    )
    return offer.lines.get()


def test_after_a_change_the_previous_picture_shows_as_of_until_the_task_has_run(
    users: dict[str, Any], crisis: Any, offer_line: Any
) -> None:
    before = _body(users["duty"], crisis)
    assert NOTE.search(before) is None and _refreshes() == []

    offer_services.accept_offer_line(users["ita"], offer_line, 30)
    stale = _body(users["duty"], crisis)
    assert EN_NOTE in NOTE.search(stale).group(1)  # type: ignore[union-attr]
    assert _picture(stale) == _picture(before)
    (queued,) = _refreshes()

    _run(queued)
    current = _body(users["duty"], crisis)
    assert NOTE.search(current) is None
    assert current == _fresh(users["duty"], crisis)
    assert _picture(current) != _picture(before)  # the map and chart count the 30
    assert len(_refreshes()) == 1


def test_readers_missing_together_queue_one_refresh(
    users: dict[str, Any], crisis: Any, offer_line: Any
) -> None:
    _body(users["duty"], crisis)
    offer_services.accept_offer_line(users["ita"], offer_line, 30)
    # Every role reads the same picture: all of them miss it before the task runs.
    pages = [_body(users[who], crisis) for who in ("duty", "ita", "deu", "ocha", "head")]
    assert all(NOTE.search(page) for page in pages)
    assert len(_refreshes()) == 1
    # Once it has run, the next change queues again.
    _run(_refreshes()[0])
    offer_services.accept_offer_line(users["ita"], offer_line, 10)
    assert NOTE.search(_body(users["deu"], crisis))
    assert len(_refreshes()) == 2


def test_the_first_render_ever_is_computed_inline(
    users: dict[str, Any], crisis: Any, offer_line: Any
) -> None:
    offer_services.accept_offer_line(users["ita"], offer_line, 30)
    cache.clear()
    first = _body(users["ita"], crisis)
    assert NOTE.search(first) is None
    assert _refreshes() == []
    assert "DEU" in _picture(first)  # the map draws Germany's accepted aid to Italy
    assert _body(users["ita"], crisis) == first


def test_a_french_reader_reads_the_note_in_french(
    users: dict[str, Any], make_user: Any, crisis: Any, offer_line: Any
) -> None:
    french = make_user("ita-fr", "ITA", Role.NATIONAL_POC)
    french.profile.language = "fr"
    french.profile.save()
    _body(french, crisis)
    offer_services.accept_offer_line(users["ita"], offer_line, 30)
    note = NOTE.search(_body(french, crisis))
    assert note is not None and FR_NOTE in note.group(1) and EN_NOTE not in note.group(1)
    # The English readers' picture was never computed: theirs is inline, current.
    assert NOTE.search(_body(users["ita"], crisis)) is None


def test_the_key_figures_beside_a_stale_picture_are_current(
    users: dict[str, Any], crisis: Any, italian_rfa: Any
) -> None:
    masks = italian_rfa.lines.get(position=2)
    offer = offer_services.make_offer(
        users["deu"], rfa=italian_rfa, lines=[{"request_line": masks.pk, "quantity": 60_000}]
    )
    before = _body(users["ita"], crisis)
    assert "<dd>0%</dd>" in FIGURES.search(before).group(0)  # type: ignore[union-attr]
    offer_services.accept_offer_line(users["ita"], offer.lines.get(), 60_000)
    stale = _body(users["ita"], crisis)
    assert NOTE.search(stale)
    figures = FIGURES.search(stale).group(0)  # type: ignore[union-attr]
    assert figures != FIGURES.search(before).group(0)  # type: ignore[union-attr]
    fresh = _fresh(users["ita"], crisis)
    assert figures == FIGURES.search(fresh).group(0)  # type: ignore[union-attr]
    # Everything but the note and the picture is the fresh page's.
    assert PICTURE.sub("", NOTE.sub("", stale)).strip() == PICTURE.sub("", fresh).strip()


def test_a_refresh_pending_too_long_is_computed_by_the_next_reader(
    users: dict[str, Any], crisis: Any, offer_line: Any
) -> None:
    _body(users["duty"], crisis)
    offer_services.accept_offer_line(users["ita"], offer_line, 30)
    assert NOTE.search(_body(users["duty"], crisis))
    # The task was lost (or the worker is busy): its mark ages past the backstop.
    with translation.override("en"):
        mark = picture._queued_key(crisis.pk, PICTURE_AUDIENCE)
    cache.set(mark, time.time() - picture.STALE_MAX_S - 1)
    current = _body(users["duty"], crisis)
    assert NOTE.search(current) is None
    assert current == _fresh(users["duty"], crisis)
    assert len(_refreshes()) == 1


@override_settings(TASKS=DATABASE)
def test_no_task_for_a_worker_that_cannot_fill_this_process_cache(
    users: dict[str, Any], crisis: Any, offer_line: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    _body(users["duty"], crisis)
    offer_services.accept_offer_line(users["ita"], offer_line, 30)
    queued = DBTaskResult.objects.count()
    assert NOTE.search(_body(users["duty"], crisis))
    path = picture.refresh_picture.module_path
    assert DBTaskResult.objects.count() == queued
    assert not DBTaskResult.objects.filter(task_path=path).exists()
