"""Reading the intake corpus and scoring the parser on it (precision and recall of
lines: a line counts when its item, quantity and needed-by date all match)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aidbridge.intake.context import seed_context
from aidbridge.intake.parse import parse

CORPUS = Path(__file__).resolve().parent / "corpus"
YEAR = 2020  # every text is from the COVID-19 crisis of 2020

Line = tuple[str, int, date | None]


@dataclass(frozen=True)
class Case:
    name: str
    lang: str
    expected: tuple[Line, ...]
    text: str


def load(folder: Path = CORPUS) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        head, text = raw.split("\ntext:\n", 1)
        lang, expected = "", []
        for row in head.splitlines():
            if row.startswith("lang:"):
                lang = row.split(":", 1)[1].strip()
            elif row.startswith("  "):
                code, qty, when = row.split()
                expected.append((code, int(qty), None if when == "-" else date.fromisoformat(when)))
        cases.append(Case(path.stem, lang, tuple(expected), text))
    return cases


@dataclass
class Score:
    expected: int = 0
    proposed: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 0.0


def measure(folder: Path = CORPUS, verbose: bool = False) -> dict[str, Score]:
    scores = {"en": Score(), "fr": Score()}
    context = seed_context(YEAR)
    for case in load(folder):
        got = [(ln.item, ln.quantity, ln.needed_by) for ln in parse(case.text, context).lines]
        score = scores[case.lang]
        score.expected += len(case.expected)
        score.proposed += len(got)
        remaining = list(case.expected)
        for line in got:
            if line in remaining:
                remaining.remove(line)
                score.correct += 1
        if verbose and (remaining or len(got) != len(case.expected)):
            print(case.name, "missed", remaining, "got", got)
    return scores


HELDOUT = CORPUS / "heldout"  # written after the parser was tuned; never tuned on


def report(scores: dict[str, Score]) -> str:
    return "\n".join(
        f"{lang}: precision {s.precision:.2f} recall {s.recall:.2f}"
        f" ({s.correct} right of {s.proposed} proposed, {s.expected} expected)"
        for lang, s in scores.items()
    )


if __name__ == "__main__":
    import sys

    print(report(measure(HELDOUT if "--heldout" in sys.argv else CORPUS, verbose=True)))
