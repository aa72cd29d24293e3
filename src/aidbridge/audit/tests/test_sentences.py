"""Every audit action the services record reads as a sentence, in English and French:
a new action recorded anywhere without one fails here."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from aidbridge.airlift.models import AirliftPlanRun, Sortie
from aidbridge.allocations.models import AllocationRun
from aidbridge.audit.sentences import SENTENCES
from aidbridge.hospitals.models import TransferMatchingRun
from aidbridge.requests.transitions import TRANSITIONS
from aidbridge.runs.lifecycle import TRANSITIONS as RUN_TRANSITIONS

SRC = Path(__file__).resolve().parents[2]
CALL = re.compile(r"\brecord(?:_many)?\(\s*[^,]+,\s*(f?)\"([^\"]+)\"", re.S)
ANY_CALL = re.compile(r"\brecord(?:_many)?\(")
OFFER_LINE_ACTIONS = re.compile(r"\btransition\(\s*[^,]+,\s*[^,]+,\s*\"(\w+)\"", re.S)


def _sources() -> list[Path]:
    return [
        p
        for p in SRC.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts and p.parent.name != "audit"
    ]


def _expansions() -> dict[str, list[str]]:
    """Each f-string action's possible values, from where they come from."""
    offer_line = {
        m[1]
        for p in (SRC / "offers").glob("*.py")
        for m in OFFER_LINE_ACTIONS.finditer(p.read_text())
    }
    return {
        "rfa.{action}": [f"rfa.{a}" for a in TRANSITIONS],
        "offer_line.{action}": [f"offer_line.{a}" for a in sorted(offer_line)],
        # runs.lifecycle: each run model's audit name, each transition's audit suffix.
        "{locked.audit_name}.{rule.audit}": [
            f"{run.audit_name}.{rule.audit}"
            for run in (AllocationRun, AirliftPlanRun, TransferMatchingRun)
            for rule in RUN_TRANSITIONS.values()
        ],
        "sortie.{to}": [f"sortie.{s}" for s in Sortie.Status.values],
    }


def recorded_actions() -> set[str]:
    expansions = _expansions()
    actions: set[str] = set()
    for path in _sources():
        text = path.read_text()
        calls = list(CALL.finditer(text))
        # A call whose action is neither a literal nor a known f-string cannot be checked.
        assert len(calls) == len(ANY_CALL.findall(text)), f"unreadable record() in {path}"
        for call in calls:
            if call[1]:
                assert call[2] in expansions, f"new f-string action {call[2]} in {path}"
                actions.update(expansions[call[2]])
            else:
                actions.add(call[2])
    return actions


def test_the_scan_finds_the_actions() -> None:
    found = recorded_actions()
    assert {"dispatch.create", "sitrep.publish", "offer_line.decline", "sortie.arrived"} <= found
    assert {"offer_line.accept", "offer_line.confirm", "airlift_plan.running"} <= found
    assert len(found) > 50


def test_every_recorded_action_has_a_sentence() -> None:
    missing = recorded_actions() - set(SENTENCES)
    assert not missing, f"audit actions without a sentence in audit/sentences.py: {missing}"


def test_every_sentence_is_translated_to_french() -> None:
    for action, words in SENTENCES.items():
        with translation.override("en"):
            english = str(words)
        with translation.override("fr"):
            french = str(words)
        assert french != english, f"{action}: no French sentence"
        # The French keeps every placeholder of the English.
        assert set(re.findall(r"%\((\w+)\)s", french)) == set(
            re.findall(r"%\((\w+)\)s", english)
        ), action
