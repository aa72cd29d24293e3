"""The core helpers every app leans on, by their own rules: field changes and their
audit diff, the text rule, seed reading and upserts, and how an unreachable database
is described (never with its password)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections

from aidbridge.catalogue.models import Category, Item
from aidbridge.core import database
from aidbridge.core.changes import apply_changes, jsonable
from aidbridge.core.errors import ValidationFailed
from aidbridge.core.seeding import LoadReport, read_seed, upsert
from aidbridge.core.text import MAX_TEXT, clean_text, max_length_of, text_problem
from aidbridge.crises.models import Crisis


# --- changes ---------------------------------------------------------------------------
def test_jsonable_keeps_json_values_and_spells_the_others() -> None:
    assert [jsonable(v) for v in (None, True, 3, 1.5, "x")] == [None, True, 3, 1.5, "x"]
    assert jsonable(date(2020, 3, 12)) == "2020-03-12"
    assert jsonable(Decimal("0.0040")) == "0.0040"  # exact, not a float
    assert jsonable(Category(code="PPE")) == "PPE"


def test_apply_changes_sets_and_reports_only_what_differs() -> None:
    item = Item(code="VENT-ICU", name_en="ICU ventilator", unit_weight_kg=Decimal("30"))
    diff = apply_changes(
        item,
        {"name_en": "ICU ventilator", "unit_weight_kg": Decimal("32.5")},
        allowed=["name_en", "unit_weight_kg"],
    )
    assert diff == {"unit_weight_kg": ["30", "32.5"]}
    assert item.unit_weight_kg == Decimal("32.5")


def test_apply_changes_refuses_a_field_outside_the_allowed_by_name() -> None:
    item = Item(code="VENT-ICU", name_en="ICU ventilator")
    with pytest.raises(ValidationFailed) as refused:
        apply_changes(item, {"code": "OTHER"}, allowed=["name_en"])
    assert (refused.value.field, refused.value.message) == ("code", "code cannot be changed here")
    assert item.code == "VENT-ICU"


# --- text ------------------------------------------------------------------------------
def test_the_text_rule() -> None:
    assert text_problem("fine") is None
    assert text_problem("a\x00b") == "must not contain NUL characters"
    assert text_problem("x" * 5, max_length=4) == "must be at most 4 characters (got 5)"
    assert text_problem("x" * 12_345) == "must be at most 10,000 characters (got 12,345)"
    assert clean_text(None, "note") == ""
    assert clean_text("  Bergamo  ", "note") == "Bergamo"
    with pytest.raises(ValidationFailed) as not_text:
        clean_text(42, "note")
    assert (not_text.value.field, not_text.value.message) == ("note", "must be text")
    with pytest.raises(ValidationFailed) as too_long:
        clean_text("abcdef", "title", max_length=5)
    assert too_long.value.field == "title"


def test_a_column_s_documented_length() -> None:
    assert max_length_of(Item, "code") == Item._meta.get_field("code").max_length
    assert max_length_of(Item, "description") == MAX_TEXT  # a TextField
    assert (max_length_of(Crisis, "name_en"), max_length_of(Crisis, "status")) == (200, 10)


# --- seeds -----------------------------------------------------------------------------
def test_read_seed_names_each_kind_of_bad_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(ValidationFailed, match="does not exist"):
        read_seed(missing)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="is not valid JSON"):
        read_seed(broken)
    listed = tmp_path / "list.json"
    listed.write_text("[]", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="must hold a JSON object"):
        read_seed(listed)
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"items": []}), encoding="utf-8")
    assert read_seed(good) == {"items": []}


@pytest.mark.django_db
def test_upsert_creates_updates_only_what_differs_and_says_which() -> None:
    lookup = {"code": "PPE"}
    first, created = upsert(Category, lookup, {"name_en": "PPE", "name_fr": "EPI"})
    again, unchanged = upsert(Category, lookup, {"name_en": "PPE", "name_fr": "EPI"})
    renamed, updated = upsert(Category, lookup, {"name_en": "Protection", "name_fr": "EPI"})
    assert (created, unchanged, updated) == ("created", "unchanged", "updated")
    assert first.pk == again.pk == renamed.pk and Category.objects.count() == 1
    assert Category.objects.get().name_en == "Protection"
    report = LoadReport()
    assert not report.changed
    for outcome in (created, unchanged, updated):
        report.count("categories", outcome)
    report.count("items", "unchanged")
    assert report.changed
    assert report.summary() == (
        "categories: 1 created, 1 updated, 1 unchanged; items: 0 created, 0 updated, 1 unchanged"
    )


# --- the database, described -----------------------------------------------------------
def test_a_database_is_described_without_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        connections.settings,
        "elsewhere",
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "aidbridge",
            "HOST": "db.example.org",
            "PORT": "6432",
            "USER": "centre",
            "PASSWORD": "s3cret-password",
        },
    )
    monkeypatch.setitem(
        connections.settings, "local", {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}
    )
    monkeypatch.setitem(
        connections.settings, "file", {"ENGINE": "django.db.backends.sqlite3", "NAME": "/d/a.db"}
    )
    said = database.describe("elsewhere")
    assert said == "postgresql database 'aidbridge' at db.example.org:6432"
    assert database.describe("local") == "postgresql database 'x' at localhost:default port"
    assert database.describe("file") == "SQLite database /d/a.db"
    message = database.unreachable_message("connection refused", "elsewhere")
    assert message.startswith(f"aidbridge: cannot reach the {said}: connection refused\n")
    assert "s3cret" not in message and "DATABASE_URL" in message
