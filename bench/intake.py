"""Intake from text: how long reading a message takes (no database).

Prints, for the corpus and for the largest message the API takes (10,000 characters,
packed with numbers, items and dates), the time per message. Run on a quiet machine:

    uv run python bench/intake.py
"""

from __future__ import annotations

import statistics
import time

from aidbridge.intake.context import seed_context
from aidbridge.intake.parse import parse
from aidbridge.intake.tests.corpus import CORPUS, load


def _times(texts: list[str], repeat: int) -> list[float]:
    context = seed_context(2020)
    parse("warm-up: 10 masks by 1 April", context)  # dateparser loads its data once
    out = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            parse(text, context)
            out.append(time.perf_counter() - start)
    return out


def main() -> None:
    corpus = [case.text for case in load(CORPUS)]
    line = "Spain requests 1 500 ICU ventilators and 20 widgets by 3 April 2020; 7 masques FFP2. "
    largest = (line * (10_000 // len(line) + 1))[:10_000]
    print(f"{'messages':<34}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, texts, repeat in (
        ("corpus (64 texts)", corpus, 3),
        ("10,000 characters, 390 numbers", [largest], 3),
    ):
        times = sorted(t * 1000 for t in _times(texts, repeat))
        p95 = times[int(len(times) * 0.95) - 1] if len(times) > 1 else times[0]
        print(
            f"{name:<34}{len(times):>5}{statistics.median(times):>10.1f}{p95:>10.1f}"
            f"{times[-1]:>10.1f}"
        )


if __name__ == "__main__":
    main()
