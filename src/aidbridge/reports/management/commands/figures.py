"""``aidbridge figures CRISIS``: the crisis totals as every consumer reports them.

Reads each consumer through its own channel — the picture API and the matrix CSV through
the HTTP stack, the picture export as a centre officer downloads it, a sitrep drafted
now, and the latest published sitrep's frozen snapshot — and prints them side by side,
so anyone can check that they agree to the unit.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.urls import reverse

from aidbridge.accounts.models import Role
from aidbridge.crises.models import Crisis
from aidbridge.interop.exporters import export
from aidbridge.sitreps.figures import compute_figures
from aidbridge.sitreps.models import Sitrep

FIGURES = ("requested", "offered", "accepted", "dispatched", "delivered", "outstanding")


def _column_totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Column totals of a consumer's rows, to compare with the others' totals."""
    return {name: sum(int(r[name] or 0) for r in rows) for name in FIGURES}


class Command(BaseCommand):
    help = "Print the crisis totals from the picture API, the matrix CSV, the picture "
    help += "export, a sitrep drafted now and the latest published sitrep."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("crisis", help="crisis code, e.g. covid-19-2020")

    def handle(self, *args: Any, **options: Any) -> None:
        crisis = Crisis.objects.filter(code=options["crisis"]).first()
        if crisis is None:
            raise CommandError(f"no crisis {options['crisis']!r}")
        officer = (
            get_user_model()
            .objects.filter(profile__role=Role.CENTRE_OFFICER, is_active=True)
            .first()
        )
        if officer is None:
            raise CommandError("no active centre officer to read the pages as")
        host = next((h for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
        client = Client(HTTP_HOST=host.lstrip("."))
        client.force_login(officer)

        table: list[tuple[str, dict[str, int]]] = []
        picture = client.get(f"/api/v1/crises/{crisis.code}/picture", {"limit": 1}).json()
        table.append(("picture API", {k: picture["overall"][k] for k in FIGURES}))
        matrix = client.get(reverse("web:matrix_csv", args=[crisis.code])).content.decode()
        table.append(("matrix CSV", _column_totals(list(csv.DictReader(io.StringIO(matrix))))))
        exported = export(officer, crisis, "picture", "csv").decode("utf-8-sig")
        table.append(
            ("picture export", _column_totals(list(csv.DictReader(io.StringIO(exported)))))
        )
        drafted = compute_figures(crisis, since=None)
        table.append(("sitrep drafted now", _column_totals(drafted["requests"])))
        published = (
            Sitrep.objects.filter(crisis=crisis, status=Sitrep.Status.PUBLISHED)
            .order_by("-published_at")
            .first()
        )
        if published is not None and published.snapshot:
            label = f"sitrep {published} (v{published.snapshot.get('version', 1)})"
            table.append((label, _column_totals(published.snapshot["requests"])))

        width = max(len(name) for name, _ in table)
        self.stdout.write(" " * width + "".join(f"{f:>13}" for f in FIGURES))
        for name, values in table:
            self.stdout.write(f"{name:<{width}}" + "".join(f"{values[f]:>13,}" for f in FIGURES))
        first = table[0][1]
        differ = [name for name, values in table if values != first]
        self.stdout.write("all agree" if not differ else f"differ from the API: {differ}")
