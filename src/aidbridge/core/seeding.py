"""Helpers for idempotent seed loaders: upsert by a stable key, and a report of changes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aidbridge.core.errors import ValidationFailed


@dataclass
class LoadReport:
    """What a load changed, per kind of object: counts of created / updated / unchanged."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket = self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        bucket[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def summary(self) -> str:
        return "; ".join(
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        )


def upsert(model: type[Any], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, str]:
    """Create the row or bring it in line with ``values``; say which happened.

    Unlike ``update_or_create`` it only writes when something differs, so a reload of an
    unchanged seed touches nothing and the report can say "unchanged".
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=changed)
    return obj, "updated"


def read_seed(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationFailed(f"seed file {path} does not exist", field="path") from None
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"seed file {path} is not valid JSON: {exc}", field="path") from exc
    if not isinstance(data, dict):
        raise ValidationFailed(f"seed file {path} must hold a JSON object", field="path")
    return data
