"""``aidbridge plan airlift INPUT.json [-o OUTPUT.json]``.

Reads the spec's input (stdin when INPUT is ``-`` or absent), writes the plan JSON
(stdout without ``-o``). On a terminal, stderr shows the search's progress and then the
schedule per aircraft; ``--summary`` prints that schedule to stderr in any case;
``--geojson FILE`` writes the legs for a map.

Exit status: 0 plan written; 2 unreadable or malformed input (the message names the
entry); 3 the checker found the plan infeasible (a planner bug, reported, not hidden).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from .geojson import plan_to_geojson
from .jsonio import plan_to_json
from .model import Progress
from .parse import AirliftInputError, parse_airlift
from .solve import plan_airlift
from .summary import format_summary

PROG = "aidbridge plan airlift"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Plan airlift sorties for consignments.")
    p.add_argument("input", nargs="?", default="-", help="input JSON (default: stdin)")
    p.add_argument("-o", "--output", default="-", help="plan JSON (default: stdout)")
    p.add_argument(
        "--time-limit", type=float, default=10.0, metavar="SECONDS", help="search time (10)"
    )
    p.add_argument("--seed", type=int, default=0, help="random seed of the search (0)")
    p.add_argument(
        "--summary", action="store_true", help="print the schedule per aircraft on stderr"
    )
    p.add_argument("--geojson", metavar="FILE", help="also write the legs as GeoJSON for a map")
    return p


class _ProgressLine:
    """One self-overwriting status line on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, p: Progress) -> None:
        self.stream.write(
            f"\rsearching {p.elapsed_s:5.1f}/{p.time_limit_s:g} s  {p.iterations:>8,} iterations"
            f"  {p.planned:>5}/{p.tasks} consignments in the best plan"
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 78 + "\r")
            self.stream.flush()


def _read(path: str) -> Any:
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    name = "stdin" if args.input == "-" else args.input
    if args.time_limit <= 0:
        print(f"{PROG}: --time-limit must be positive", file=sys.stderr)
        return 2
    try:
        inp = parse_airlift(_read(args.input))
    except OSError as e:
        print(f"{PROG}: cannot read {name}: {e.strerror or e}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as e:
        print(f"{PROG}: {name} is not valid JSON: {e}", file=sys.stderr)
        return 2
    except AirliftInputError as e:
        print(f"{PROG}: {name}: {e}", file=sys.stderr)
        return 2
    tty = sys.stderr.isatty()
    line = _ProgressLine(sys.stderr) if tty else None
    try:
        plan = plan_airlift(inp, args.time_limit, seed=args.seed, progress=line)
    finally:
        if line:
            line.close()
    text = json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    if args.geojson:
        with open(args.geojson, "w", encoding="utf-8") as fh:
            json.dump(plan_to_geojson(inp, plan), fh, ensure_ascii=False)
    if args.summary or tty:
        print(format_summary(inp, plan), file=sys.stderr)
    if plan.stats["violations"]:
        print(
            f"{PROG}: the checker found {len(plan.stats['violations'])} violation(s); "
            "see stats.violations",
            file=sys.stderr,
        )
        return 3
    return 0
