"""The ``aidbridge`` console script.

``aidbridge plan ...`` runs the planners without touching Django, so they work on a
machine with no database. Everything else is a Django management command
(``aidbridge demo``, ``aidbridge serve``, ``aidbridge migrate``, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["plan"]:
        return _plan(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")
    from django.core.management import execute_from_command_line

    from aidbridge.core.database import (
        DATABASE_DOWN,
        unreachable_message,
        unreachable_reason,
    )

    try:
        execute_from_command_line(["aidbridge", *args])
    except DATABASE_DOWN:
        # A database that cannot be reached is an operator's problem, said in one
        # message; any other database error (a bug, a missing table) keeps its traceback.
        reason = unreachable_reason()
        if reason is None:
            raise
        print(unreachable_message(reason), file=sys.stderr)
        return 1
    return 0


def _plan(args: list[str]) -> int:
    usage = "usage: aidbridge plan {allocate,airlift} INPUT.json [-o OUTPUT.json] [options]"
    if not args or args[0] in {"-h", "--help"}:
        print(usage)
        return 0 if args else 2
    kind, rest = args[0], args[1:]
    if kind == "allocate":
        from aidbridge.planning.allocation.cli import main as allocate_main

        return allocate_main(rest)
    if kind == "airlift":
        from aidbridge.planning.airlift.cli import main as airlift_main

        return airlift_main(rest)
    print(f"aidbridge plan: unknown planner {kind!r}\n{usage}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
