"""``aidbridge plan allocate INPUT.json [-o OUTPUT.json] [--explain NEED_ID]``.

Reads the spec's input (a file, or stdin when INPUT is ``-`` or absent), writes the
plan as JSON (a file, or stdout). With ``--explain`` it prints why each named need got
what it got instead of the JSON (the plan still goes to ``-o`` when given). Progress
goes to stderr, and only when stderr is a terminal, so pipes and logs stay clean; the
plan's certificate (what was proved optimal, or the gap and why) always goes to
stderr, a few lines, after planning.
Exit codes: 0 planned, 2 bad input or usage (the message names every bad entry),
1 the solver failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from .certificate import describe
from .explain import explain_need
from .lp import SolverFailure
from .model import AllocationInputError
from .parse import load_allocation, plan_to_json
from .solve import plan_allocation

PROG = "aidbridge plan allocate"


class _Progress:
    """One self-overwriting status line on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.perf_counter()
        self.width = 0

    def __call__(self, message: str) -> None:
        line = f"[{time.perf_counter() - self.started:6.1f} s] {message}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Propose who gets what from unearmarked stock and standing offers: "
        "most critical units first, fairest fills, fewest tonne-km, exact items first.",
    )
    parser.add_argument("input", nargs="?", default="-", help="input JSON (default: stdin)")
    parser.add_argument("-o", "--output", help="write the plan JSON here (default: stdout)")
    parser.add_argument(
        "--explain",
        metavar="NEED_ID",
        action="append",
        default=[],
        help="print why this need got what it got (repeatable)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress display")
    return parser


def _fail(message: str, code: int = 2) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return int(exc.code or 0)
    source = "stdin" if args.input == "-" else args.input
    try:
        if args.input == "-":
            text = sys.stdin.buffer.read()
        else:
            with open(args.input, "rb") as handle:
                text = handle.read()
    except OSError as exc:
        return _fail(f"cannot read {source}: {exc.strerror}")
    try:
        problem = load_allocation(text)
    except AllocationInputError as exc:
        listed = "\n".join(f"  {line}" for line in str(exc).splitlines())
        return _fail(f"{source}: invalid input, nothing planned:\n{listed}")
    known = {n.id for n in problem.needs}
    unknown = [ident for ident in args.explain if ident not in known]
    if unknown:
        return _fail(f"--explain: no need with id {', '.join(map(repr, unknown))} in {source}")

    progress = _Progress(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    try:
        plan = plan_allocation(problem, progress=progress)
    except SolverFailure as exc:
        return _fail(f"the solver failed: {exc}", code=1)
    finally:
        if progress is not None:
            progress.close()

    print("\n".join(describe(plan.stats["certificate"])), file=sys.stderr)
    document = json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(document)
        except OSError as exc:
            return _fail(f"cannot write {args.output}: {exc.strerror}")
    if args.explain:
        print("\n\n".join(explain_need(problem, plan, ident).text() for ident in args.explain))
    elif not args.output:
        sys.stdout.write(document)
    return 0
