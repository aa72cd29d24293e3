"""Print line and branch coverage per app from a coverage.py data file.

    uv run python scripts/coverage_by_app.py [--data-file .coverage]

An app is a folder directly under ``src/aidbridge/`` (``planning`` included); the
modules beside them (``cli.py``, ``urls.py``, ...) are counted as ``(project)``. What is
measured (tests and migrations left out) is set in ``[tool.coverage.run]`` of
``pyproject.toml``; ``scripts/test`` writes the data during the SQLite run.

The figures come from coverage.py's own JSON report (its public API), summed per app:
lines = executed statements / statements; branches = branches taken / branches;
total = coverage.py's combined figure, (lines + branches covered) / (lines + branches).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import PurePath

import coverage

PACKAGE = "aidbridge"
FIELDS = ("num_statements", "covered_lines", "num_branches", "covered_branches")


def app_of(path: str) -> str:
    """``src/aidbridge/offers/services.py`` -> ``offers``; top-level modules -> ``(project)``."""
    parts = PurePath(path).parts
    if PACKAGE not in parts:
        return "(other)"
    rest = parts[parts.index(PACKAGE) + 1 :]
    return rest[0] if len(rest) > 1 else "(project)"


def per_app(report: dict) -> dict[str, dict[str, int]]:
    """Each app's summed statement and branch counts, from a ``coverage json`` report."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for path, data in report["files"].items():
        summary = data["summary"]
        bucket = totals[app_of(path)]
        for name in FIELDS:
            bucket[name] += summary.get(name, 0)
    return dict(totals)


def _pct(covered: int, total: int) -> str:
    return f"{100 * covered / total:5.1f}%" if total else "    -"


def table(totals: dict[str, dict[str, int]]) -> list[str]:
    head = f"{'app':<14}{'lines':>8}{'missed':>8}{'line %':>8}{'branches':>10}{'missed':>8}"
    head += f"{'branch %':>10}{'total %':>9}"
    out = [head, "-" * len(head)]
    overall = dict.fromkeys(FIELDS, 0)
    for app in sorted(totals):
        t = totals[app]
        for name in FIELDS:
            overall[name] += t[name]
        out.append(_row(app, t))
    out.append("-" * len(head))
    out.append(_row("TOTAL", overall))
    return out


def _row(name: str, t: dict[str, int]) -> str:
    lines, hit = t["num_statements"], t["covered_lines"]
    branches, taken = t["num_branches"], t["covered_branches"]
    return (
        f"{name:<14}{lines:>8}{lines - hit:>8}{_pct(hit, lines):>8}"
        f"{branches:>10}{branches - taken:>8}{_pct(taken, branches):>10}"
        f"{_pct(hit + taken, lines + branches):>9}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-file", default=None, help="coverage data (default: .coverage)")
    args = parser.parse_args(argv)
    # Coverage(data_file=None) means "no data file" to coverage.py: leave it out for the
    # default (.coverage).
    cov = coverage.Coverage(**({"data_file": args.data_file} if args.data_file else {}))
    cov.load()
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        try:
            cov.json_report(outfile=out.name)
        except coverage.exceptions.NoDataError:
            print("no coverage data: run the tests with --cov first", file=sys.stderr)
            return 1
        report = json.loads(out.read())
    print("\n".join(table(per_app(report))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
