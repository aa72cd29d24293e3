"""Business actions on requests for assistance (RFAs).

A national POC drafts, edits, submits and withdraws their nation's RFAs; the centre
circulates them (giving the reference), returns them with a reason, or closes them.
Status changes go through ``requests.transitions``; each action runs in one
transaction with its audit entries and inbox notifications.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from aidbridge.accounts.permissions import profile_of, require_centre, require_poc_of
from aidbridge.audit.services import record, record_many
from aidbridge.core.actions import refuse
from aidbridge.core.changes import apply_changes, jsonable
from aidbridge.core.errors import Conflict, ValidationFailed
from aidbridge.core.references import next_reference
from aidbridge.crises.locks import lock_crisis
from aidbridge.crises.models import Crisis
from aidbridge.ledger.maintained import touch_request, touch_request_lines
from aidbridge.requests import notices, signals
from aidbridge.requests.actions import create_refusal
from aidbridge.requests.lines import clean_lines
from aidbridge.requests.locks import lock_rfa
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.transitions import check_allowed, transition

RFA = RequestForAssistance
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "situation",
        "contact_name",
        "contact_email",
        "contact_phone",
        "entry_notes",
        "repeat_of",
    }
)
LINE_AUDIT_FIELDS = (
    "item",
    "quantity",
    "unit",
    "specification",
    "priority",
    "needed_by",
    "delivery_airport",
    "delivery_place",
    "delivery_lat",
    "delivery_lon",
    "transport_needed",
)


def _locked(rfa: RFA) -> RFA:
    """The RFA re-read under a row lock: concurrent actions on it queue up here.

    Only the RFA's row is locked, not its crisis or requester: other RFAs of the same
    crisis or nation must not wait for this one (lock order: ``core.locks``).
    """
    return lock_rfa(rfa.pk)


def _require_active(crisis_id: int) -> Crisis:
    """The crisis, locked, if it is active: ``close_crisis`` takes the same lock, so a
    request cannot be drafted or submitted in a crisis being closed."""
    crisis = lock_crisis(crisis_id)
    if crisis.status != Crisis.Status.ACTIVE:
        raise Conflict(gettext("crisis %(code)s is closed") % {"code": crisis.code}, field="crisis")
    return crisis


def _check_fields(fields: Mapping[str, Any], requester_id: int) -> dict[str, Any]:
    """Validate the RFA's own fields (not its lines); return them cleaned."""
    out = dict(fields)
    for name in ("title", "situation", "contact_name", "contact_email", "contact_phone"):
        if name in out:
            if out[name] is None:
                out[name] = ""
            if not isinstance(out[name], str):
                raise ValidationFailed(
                    gettext("%(name)s must be text") % {"name": name}, field=name
                )
            out[name] = out[name].strip()
    if "entry_notes" in out:
        out["entry_notes"] = out["entry_notes"] or ""
    if "title" in out:
        if not out["title"]:
            raise ValidationFailed(gettext("give the request a title"), field="title")
        if len(out["title"]) > 200:
            raise ValidationFailed(
                gettext("the title is longer than 200 characters"), field="title"
            )
    if out.get("contact_email"):
        try:
            validate_email(out["contact_email"])
        except ValidationError:
            raise ValidationFailed(
                gettext("%(value)s is not an e-mail address")
                % {"value": repr(out["contact_email"])},
                field="contact_email",
            ) from None
    for name, limit in (("contact_name", 120), ("contact_phone", 40)):
        if len(out.get(name, "")) > limit:
            raise ValidationFailed(
                gettext("%(name)s is longer than %(limit)s characters")
                % {"name": name, "limit": limit},
                field=name,
            )
    repeat_of = out.get("repeat_of")
    if repeat_of is not None:
        if not isinstance(repeat_of, RFA):
            raise ValidationFailed(
                gettext("repeat_of must be a request for assistance"), field="repeat_of"
            )
        # A nation repeats (escalates) its own earlier request; linking another nation's
        # request would mix two requesters' needs.
        if repeat_of.requester_id != requester_id:
            raise ValidationFailed(
                gettext("a request can only repeat an earlier request of the same nation"),
                field="repeat_of",
            )
        # Everyone who will see this request must be able to see the one it repeats: a
        # link to a request never circulated would show it to nations it never reached.
        if repeat_of.circulated_at is None:
            raise ValidationFailed(
                gettext("a request can only repeat an earlier request that was circulated"),
                field="repeat_of",
            )
    return out


def _line_snapshot(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: jsonable(values[name]) for name in LINE_AUDIT_FIELDS if name in values}


def _write_lines(
    actor: Any, rfa: RFA, lines: Sequence[Mapping[str, Any]], *, new_rfa: bool = False
) -> None:
    """Replace the RFA's lines by ``lines`` (already cleaned), keeping the rows (and ids)
    of positions that remain, and audit each added, changed and removed line.

    Added lines and their entries are written in bulk (an imported request brings up to
    200 lines); they come after the changed ones in history, as they did when each line
    was written in turn, since positions run 1..n. ``new_rfa`` skips reading the lines
    of an RFA just created, which has none.
    """
    existing = {} if new_rfa else {line.position: line for line in rfa.lines.all()}
    added: list[tuple[RequestLine, Mapping[str, Any]]] = []
    for position, values in enumerate(lines, start=1):
        line = existing.pop(position, None)
        if line is None:
            added.append((RequestLine(rfa=rfa, position=position, **values), values))
            continue
        before = _line_snapshot({name: getattr(line, name) for name in LINE_AUDIT_FIELDS})
        apply_changes(line, values, LINE_AUDIT_FIELDS)
        after = _line_snapshot(values)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if diff:
            line.save()
            record(actor, "rfa_line.update", line, crisis=rfa.crisis, changes=diff)
    if added:
        # Both backends return the new ids from a bulk INSERT (SQLite >= 3.35); the
        # audit entries need them.
        RequestLine.objects.bulk_create([line for line, _ in added])
        record_many(
            actor,
            "rfa_line.add",
            (
                (line, {k: [None, v] for k, v in _line_snapshot(values).items()})
                for line, values in added
            ),
            crisis=rfa.crisis,
        )
    # Figures follow the lines: the removed ones leave the picture before their rows go.
    touch_request_lines([line.pk for line in existing.values()], leaving=True)
    for line in existing.values():
        snapshot = _line_snapshot({name: getattr(line, name) for name in LINE_AUDIT_FIELDS})
        # The line row goes, so the entry is written against the RFA; ``line_id`` keeps
        # the link to the line's earlier history (see logistics.selectors.rfa_history).
        record(
            actor,
            "rfa.line_remove",
            rfa,
            crisis=rfa.crisis,
            changes={"line_id": [line.pk, None], "position": [line.position, None]}
            | {k: [v, None] for k, v in snapshot.items()},
        )
        line.delete()
    touch_request(rfa)


@transaction.atomic
def create_rfa(
    actor: Any,
    *,
    crisis: Crisis,
    title: str,
    situation: str = "",
    lines: Sequence[Mapping[str, Any]] = (),
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    entry_notes: str = "",
    repeat_of: RFA | None = None,
) -> RFA:
    """Draft a request for the actor's own nation. It stays private until submitted."""
    crisis = lock_crisis(crisis.pk)  # close_crisis takes the same lock (core.locks)
    refuse(create_refusal(actor, crisis))
    requester = profile_of(actor).party
    fields = _check_fields(
        {
            "title": title,
            "situation": situation,
            "contact_name": contact_name,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
            "entry_notes": entry_notes,
            "repeat_of": repeat_of,
        },
        requester.pk,
    )
    if repeat_of is not None and repeat_of.crisis_id != crisis.pk:
        raise ValidationFailed(
            gettext("the repeated request belongs to another crisis"), field="repeat_of"
        )
    cleaned = clean_lines(lines)
    rfa = RFA.objects.create(crisis=crisis, requester=requester, created_by=actor, **fields)
    record(
        actor,
        "rfa.create",
        rfa,
        crisis=crisis,
        to_state=RFA.Status.DRAFT,
        changes={"title": [None, rfa.title]}
        | ({"repeat_of": [None, str(repeat_of)]} if repeat_of else {}),
    )
    _write_lines(actor, rfa, cleaned, new_rfa=True)
    return rfa


@transaction.atomic
def update_rfa(
    actor: Any, rfa: RFA, *, lines: Sequence[Mapping[str, Any]] | None = None, **changes: Any
) -> RFA:
    """Edit a draft (or a returned request). ``lines``, when given, replace all lines."""
    rfa = _locked(rfa)
    require_poc_of(actor, rfa.requester, "edit this request")
    if not rfa.is_editable:
        raise Conflict(
            gettext("only a draft or a returned request can be edited; this one is %(status)s")
            % {"status": rfa.status},
            field="status",
        )
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            gettext("%(value)s cannot be changed") % {"value": unknown[0]}, field=unknown[0]
        )
    fields = _check_fields(changes, rfa.requester_id)
    if fields.get("repeat_of") is not None:
        if fields["repeat_of"].pk == rfa.pk:
            raise ValidationFailed(gettext("a request cannot repeat itself"), field="repeat_of")
        if fields["repeat_of"].crisis_id != rfa.crisis_id:
            raise ValidationFailed(
                gettext("the repeated request belongs to another crisis"), field="repeat_of"
            )
    cleaned = clean_lines(lines) if lines is not None else None
    diff = apply_changes(rfa, fields, EDITABLE_FIELDS)
    if diff:
        rfa.save(update_fields=[*diff, "updated_at"])
        record(actor, "rfa.update", rfa, crisis=rfa.crisis, changes=diff)
    if cleaned is not None:
        _write_lines(actor, rfa, cleaned)
        rfa.save(update_fields=["updated_at"])
    return rfa


def check_complete(rfa: RFA) -> None:
    """What the centre needs before it can act on a request."""
    lines = list(rfa.lines.all())
    if not lines:
        raise ValidationFailed(gettext("add at least one line before submitting"), field="lines")
    for index, line in enumerate(lines):
        if line.delivery_lat is None:
            raise ValidationFailed(
                gettext("line %(value)s: say where it is needed (an airport or a place)")
                % {"value": index + 1},
                field=f"lines.{index}.delivery_airport",
            )


@transaction.atomic
def submit_rfa(actor: Any, rfa: RFA) -> RFA:
    """Send the request to the centre for checking and circulation."""
    _require_active(rfa.crisis_id)
    rfa = _locked(rfa)
    require_poc_of(actor, rfa.requester, "submit this request")
    check_complete(rfa)
    transition(actor, rfa, "submit")
    notices.submitted(actor, rfa)
    return rfa


@transaction.atomic
def circulate_request(actor: Any, rfa: RFA) -> RFA:
    """Give the request its reference and send it to every national POC and observer."""
    require_centre(actor, gettext_noop("circulate a request"))
    rfa = _locked(rfa)
    check_allowed(rfa, "circulate")
    check_complete(rfa)
    # The number is taken inside this transaction: a refusal or a rollback uses none.
    reference = next_reference("RFA", timezone.now().year)
    transition(actor, rfa, "circulate", set_fields={"reference": reference})
    notices.circulated(actor, rfa)
    # Match notifications (above this app) go out after the commit: see requests.signals.
    signals.circulated.send(sender=RFA, rfa=rfa)
    return rfa


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            gettext("say why the request is %(what)s") % {"what": what}, field="reason"
        )
    return reason


@transaction.atomic
def return_rfa(actor: Any, rfa: RFA, reason: str) -> RFA:
    """Send a submitted request back to its nation to be completed or corrected."""
    require_centre(actor, gettext_noop("return a request"))
    rfa = _locked(rfa)
    transition(actor, rfa, "return", reason=_reason(reason, "returned"))
    notices.returned(actor, rfa)
    return rfa


@transaction.atomic
def withdraw_rfa(actor: Any, rfa: RFA, reason: str) -> RFA:
    """The requesting nation no longer needs the assistance."""
    rfa = _locked(rfa)
    require_poc_of(actor, rfa.requester, "withdraw this request")
    transition(
        actor,
        rfa,
        "withdraw",
        reason=_reason(reason, "withdrawn"),
        set_fields={"closure": RFA.Closure.WITHDRAWN},
    )
    _settle(actor, rfa, f"request withdrawn by {rfa.requester.code}: {rfa.status_reason}")
    notices.closed(actor, rfa)
    return rfa


@transaction.atomic
def close_rfa(actor: Any, rfa: RFA, closure: str, reason: str = "") -> RFA:
    """The centre closes a request: fulfilled, withdrawn or overtaken by events."""
    require_centre(actor, gettext_noop("close a request"))
    closures = [c for c in RFA.Closure.values if c != RFA.Closure.MERGED]
    if closure not in closures:
        # "merged" is what circulating as an escalation leaves (``requests.escalation``),
        # never a closing the centre picks: it would claim lines merged that were not.
        raise ValidationFailed(
            gettext("unknown closure %(closure)s; choose from: %(value)s")
            % {"closure": repr(closure), "value": ", ".join(closures)},
            field="closure",
        )
    rfa = _locked(rfa)
    transition(actor, rfa, "close", reason=(reason or "").strip(), set_fields={"closure": closure})
    _settle(
        actor,
        rfa,
        f"request closed ({closure})" + (f": {rfa.status_reason}" if rfa.status_reason else ""),
    )
    notices.closed(actor, rfa)
    return rfa


def _settle(actor: Any, rfa: RFA, reason: str) -> None:
    """A closed request takes no decision any more: the offers app declines what still
    awaits one (and withdraws unconfirmed proposals), in the closing transaction
    (``requests.signals.ended``, received by ``offers.settle``)."""
    signals.ended.send(sender=RFA, actor=actor, rfa=rfa, reason=reason)
