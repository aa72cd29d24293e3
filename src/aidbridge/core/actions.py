"""Allowed actions, defined once per entity.

Each app's ``actions.py`` has, per entity, a function ``<entity>_rules(actor, obj)``
mapping every action to a check that returns ``None`` (the actor may take it now) or
the error the service raises: ``NotAllowed`` for the role or nation (403), ``Conflict``
for the state or the quantities left (409). Pages show :func:`allowed` of those rules
and services call :func:`require` on the same rules, so a button shown is an action
that works and a button hidden is one the service refuses. Checks are lazy, so a
service pays only for the one it asks about.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from aidbridge.core.errors import DomainError

Refusal = DomainError | None
Rules = Mapping[str, Callable[[], Refusal]]


def allowed(rules: Rules) -> set[str]:
    """The actions the rules allow now."""
    return {name for name, check in rules.items() if check() is None}


def require(rules: Rules, action: str) -> None:
    """Raise the refusal of ``action`` if the rules refuse it."""
    refusal = rules[action]()
    if refusal is not None:
        raise refusal


def first(*checks: Callable[[], Refusal]) -> Refusal:
    """The first refusal, in the order the checks apply (role before state)."""
    for check in checks:
        refusal = check()
        if refusal is not None:
            return refusal
    return None


def refuse(refusal: Refusal) -> None:
    """Raise a single rule's refusal, if any (for rules that are one check)."""
    if refusal is not None:
        raise refusal
