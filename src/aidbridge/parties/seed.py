"""Loading the seeded parties: NATO Allies, partner nations and organisations.

Nations are keyed by their ISO 3166-1 alpha-3 code, organisations by a short stable
code of their own. Loading again updates names by code and never duplicates a party.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.db import transaction

from aidbridge.core.errors import ValidationFailed
from aidbridge.core.seeding import LoadReport, read_seed
from aidbridge.parties.models import Party
from aidbridge.parties.services import create_party, update_party

PARTIES_SEED = Path(__file__).resolve().parent / "data" / "parties.json"
CENTRE_CODE = "EADRCC"

_ALPHA3 = re.compile(r"^[A-Z]{3}$")
_ORG_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,19}$")


def _rows(data: dict[str, Any]) -> list[dict[str, str]]:
    """Every party in the seed as a row with code, kind and both names, validated."""
    rows: list[dict[str, str]] = []
    for group in ("allies", "partners"):
        for row in data.get(group, []):
            rows.append({**row, "kind": Party.Kind.NATION})
    rows.extend(data.get("organisations", []))
    seen: set[str] = set()
    for row in rows:
        code = str(row.get("code", "")).strip()
        kind = row.get("kind")
        if kind not in Party.Kind.values:
            raise ValidationFailed(f"party {code}: unknown kind {kind!r}", field="kind")
        pattern = _ALPHA3 if kind == Party.Kind.NATION else _ORG_CODE
        if not pattern.match(code):
            expected = "an ISO 3166-1 alpha-3 code" if kind == Party.Kind.NATION else "a code"
            raise ValidationFailed(f"party {code!r}: not {expected}", field="code")
        if code in seen:
            raise ValidationFailed(f"party {code} appears twice", field="code")
        seen.add(code)
        for name in ("name_en", "name_fr"):
            if not str(row.get(name, "")).strip():
                raise ValidationFailed(f"party {code}: {name} is missing", field=name)
    return rows


@transaction.atomic
def load_parties(actor: Any, path: Path | None = None) -> LoadReport:
    """Load (or reload) the parties seed through the parties services, as ``actor``.

    New parties are created and renamed ones updated by the services (so each change
    is audited and checked like one made by hand); unchanged parties are not touched.
    A party whose kind differs from the seed's is refused: code and kind are identity.
    """
    report = LoadReport()
    for row in _rows(read_seed(path or PARTIES_SEED)):
        code = row["code"].strip()
        names = {"name_en": row["name_en"].strip(), "name_fr": row["name_fr"].strip()}
        party = Party.objects.filter(code=code).first()
        if party is None:
            create_party(actor, code=code, kind=row["kind"], **names)
            report.count("parties", "created")
            continue
        if party.kind != row["kind"]:
            raise ValidationFailed(
                f"party {code} is of kind {party.kind} here but {row['kind']} in the seed",
                field="kind",
            )
        changed = {k: v for k, v in names.items() if getattr(party, k) != v}
        if changed:
            update_party(actor, party, **changed)
        report.count("parties", "updated" if changed else "unchanged")
    return report
