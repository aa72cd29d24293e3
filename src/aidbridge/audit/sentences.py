"""The audit trail as people read it: one sentence per action, in the reader's language
("Germany dispatched 20 \u00d7 ICU ventilator by airlift" in English), never a code.

Every action the services record has its sentence here (``SENTENCES``);
``audit/tests/test_sentences.py`` fails on an action recorded anywhere without one.
Placeholders: ``who`` (the acting nation, the centre, or the system), ``what`` (the
object, by reference), ``n`` (the quantity the entry moved), ``item`` and ``how`` (a
dispatch's transport)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from aidbridge.audit.models import AuditEntry

SENTENCES: dict[str, Any] = {
    "crisis.create": gettext_lazy("%(who)s opened the crisis %(what)s"),
    "crisis.update": gettext_lazy("%(who)s edited the crisis %(what)s"),
    "crisis.close": gettext_lazy("%(who)s closed the crisis %(what)s"),
    "party.create": gettext_lazy("%(who)s added the party %(what)s"),
    "party.update": gettext_lazy("%(who)s edited the party %(what)s"),
    "party.deactivate": gettext_lazy("%(who)s deactivated the party %(what)s"),
    "party.reactivate": gettext_lazy("%(who)s reactivated the party %(what)s"),
    "user.create": gettext_lazy("%(who)s created the account %(what)s"),
    "user.deactivate": gettext_lazy("%(who)s deactivated the account %(what)s"),
    "api_token.issue": gettext_lazy("%(who)s issued an API token"),
    "api_token.revoke": gettext_lazy("%(who)s revoked an API token"),
    "sign_in_locked_out": gettext_lazy("Sign-in to %(what)s locked after repeated failures"),
    "rfa.create": gettext_lazy("%(who)s drafted the request %(what)s"),
    "rfa.intake": gettext_lazy("%(who)s drafted the request %(what)s from a pasted message"),
    "rfa.update": gettext_lazy("%(who)s edited the request %(what)s"),
    "rfa_line.add": gettext_lazy("%(who)s added the line %(what)s"),
    "rfa_line.update": gettext_lazy("%(who)s edited the line %(what)s"),
    "rfa.line_remove": gettext_lazy("%(who)s removed a line of %(what)s"),
    "rfa.submit": gettext_lazy("%(who)s submitted the request %(what)s to the centre"),
    "rfa.circulate": gettext_lazy("%(who)s circulated the request %(what)s"),
    "rfa.return": gettext_lazy("%(who)s returned the request %(what)s for completion"),
    "rfa.withdraw": gettext_lazy("%(who)s withdrew the request %(what)s"),
    "rfa.close": gettext_lazy("%(who)s closed the request %(what)s"),
    "rfa.escalate": gettext_lazy(
        "%(who)s circulated the request %(what)s as an escalation of an earlier request"
    ),
    "rfa.escalated": gettext_lazy("%(who)s merged a later request into %(what)s as an escalation"),
    "offer.create": gettext_lazy("%(who)s made the offer %(what)s"),
    "offer.withdraw": gettext_lazy("%(who)s withdrew the offer %(what)s"),
    "offer.propose": gettext_lazy("%(who)s proposed the offer %(what)s from standing stock"),
    "offer.confirm": gettext_lazy("%(who)s confirmed the proposed offer %(what)s"),
    "offer.decline_proposal": gettext_lazy("%(who)s declined the proposed offer %(what)s"),
    "offer_line.create": gettext_lazy("%(who)s offered %(n)s × %(item)s"),  # noqa: RUF001
    "offer_line.propose": gettext_lazy("%(who)s proposed to draw %(n)s × %(item)s"),  # noqa: RUF001
    "offer_line.accept": gettext_lazy("%(who)s accepted %(n)s × %(item)s"),  # noqa: RUF001
    "offer_line.decline": gettext_lazy("%(who)s declined %(n)s × %(item)s"),  # noqa: RUF001
    "offer_line.withdraw": gettext_lazy("%(who)s withdrew the offer of %(item)s"),
    "offer_line.confirm": gettext_lazy("%(who)s confirmed the proposal of %(item)s"),
    "offer_line.decline_proposal": gettext_lazy("%(who)s declined the proposal of %(item)s"),
    "dispatch.create": gettext_lazy("%(who)s dispatched %(n)s × %(item)s %(how)s"),  # noqa: RUF001
    "dispatch.arrival": gettext_lazy("%(n)s × %(item)s arrived by airlift"),  # noqa: RUF001
    "receipt.confirm": gettext_lazy("%(who)s confirmed the receipt of %(n)s × %(item)s"),  # noqa: RUF001
    "allocation_run.request": gettext_lazy("%(who)s started an allocation run"),
    "allocation_run.queued": gettext_lazy("An allocation run was queued"),
    "allocation_run.running": gettext_lazy("An allocation run started"),
    "allocation_run.done": gettext_lazy("An allocation run finished"),
    "allocation_run.failed": gettext_lazy("An allocation run failed"),
    "allocation_run.cancelled": gettext_lazy("%(who)s cancelled an allocation run"),
    "allocation_run.restart": gettext_lazy("%(who)s restarted an allocation run"),
    "allocation_run.turn_into_offers": gettext_lazy(
        "%(who)s turned an allocation run's proposals into offers"
    ),
    "airlift_plan.request": gettext_lazy("%(who)s started %(what)s"),
    "airlift_plan.queued": gettext_lazy("%(what)s was queued"),
    "airlift_plan.running": gettext_lazy("%(what)s started"),
    "airlift_plan.done": gettext_lazy("%(what)s is ready"),
    "airlift_plan.failed": gettext_lazy("%(what)s failed"),
    "airlift_plan.cancelled": gettext_lazy("%(who)s cancelled %(what)s"),
    "airlift_plan.restart": gettext_lazy("%(who)s restarted %(what)s"),
    "airlift_plan.approve": gettext_lazy("%(who)s approved %(what)s"),
    "sortie.plan": gettext_lazy("Sortie %(what)s was planned"),
    "sortie.planned": gettext_lazy("Sortie %(what)s was planned"),
    "sortie.departed": gettext_lazy("%(who)s reported that sortie %(what)s departed"),
    "sortie.arrived": gettext_lazy("%(who)s reported that sortie %(what)s arrived"),
    "aircraft_type.create": gettext_lazy("%(who)s added the aircraft type %(what)s"),
    "aircraft_type.update": gettext_lazy("%(who)s edited the aircraft type %(what)s"),
    "aircraft_type.delete": gettext_lazy("%(who)s removed the aircraft type %(what)s"),
    "aircraft.create": gettext_lazy("%(who)s added the aircraft %(what)s"),
    "aircraft.update": gettext_lazy("%(who)s edited the aircraft %(what)s"),
    "aircraft.delete": gettext_lazy("%(who)s removed the aircraft %(what)s"),
    "airfield_limit.set": gettext_lazy("%(who)s set the airfield limit %(what)s"),
    "sitrep.draft": gettext_lazy("%(who)s drafted %(what)s"),
    "sitrep.edit": gettext_lazy("%(who)s edited %(what)s"),
    "sitrep.publish": gettext_lazy("%(who)s published %(what)s"),
    "hospital.register": gettext_lazy("%(who)s registered the hospital %(what)s"),
    "hospital.update": gettext_lazy("%(who)s edited the hospital %(what)s"),
    "hospital.beds_report": gettext_lazy("%(who)s reported the beds of %(what)s"),
    "transfer_need.set": gettext_lazy("%(who)s described the patient transfers of %(what)s"),
    "bed_offer.create": gettext_lazy("%(who)s offered hospital beds on %(what)s"),
    "webhook.create": gettext_lazy("%(who)s registered %(what)s"),
    "webhook.delete": gettext_lazy("%(who)s deleted %(what)s"),
    "webhook.rotate_secret": gettext_lazy("%(who)s rotated the secret of %(what)s"),
    "outbox.retry": gettext_lazy("%(who)s asked to retry the message %(what)s now"),
    "federation.partner_declare": gettext_lazy("%(who)s declared the partner centre %(what)s"),
    "federation.key_add": gettext_lazy("%(who)s added a key of the partner centre %(what)s"),
    "federation.key_retire": gettext_lazy("%(who)s retired a key of the partner centre %(what)s"),
    "federation.refused": gettext_lazy("A message said to be from %(what)s was refused"),
    "federation.snapshot": gettext_lazy("%(what)s was updated from its origin centre"),
    "federation.delivery_refused": gettext_lazy(
        "The partner centre %(what)s refused a message we sent"
    ),
    "federation.command_refused": gettext_lazy(
        "%(who)s: an action made at a partner centre on %(what)s was refused"
    ),
    "catalogue_item.update": gettext_lazy(
        "%(who)s changed the catalogue item %(what)s: %(changed)s"
    ),
    "transfer_matching_run.request": gettext_lazy("%(who)s started a transfer matching run"),
    "transfer_matching_run.running": gettext_lazy("A transfer matching run started"),
    "transfer_matching_run.done": gettext_lazy("A transfer matching run finished"),
    "transfer_matching_run.failed": gettext_lazy("A transfer matching run failed"),
    "transfer_matching_run.cancelled": gettext_lazy("%(who)s cancelled a transfer matching run"),
    "transfer_matching_run.restart": gettext_lazy("%(who)s restarted a transfer matching run"),
    "transfer_matching_run.accept": gettext_lazy("%(who)s accepted a transfer matching"),
    "proposed_transfer.airlift": gettext_lazy(
        "%(who)s handed the patient transfer %(what)s to the airlift"
    ),
}

TRANSPORT_FIELDS = ("transport_weight_kg", "transport_volume_m3")

# A catalogue item's fields as a change list names them (``changed``): the unit weight
# and volume drive both planners, so they are said with their old and new values.
FIELDS = {
    "unit_weight_kg": gettext_lazy("unit weight %(old)s → %(new)s kg"),
    "unit_volume_m3": gettext_lazy("unit volume %(old)s → %(new)s m³"),
    "transport_weight_kg": gettext_lazy("weight when flown %(old)s → %(new)s kg"),
    "transport_volume_m3": gettext_lazy("volume when flown %(old)s → %(new)s m³"),
    "unit": gettext_lazy("unit %(old)s → %(new)s"),
    "category": gettext_lazy("category %(old)s → %(new)s"),
    "name_en": gettext_lazy("English name"),
    "name_fr": gettext_lazy("French name"),
    "description": gettext_lazy("description"),
    "active": gettext_lazy("active %(old)s → %(new)s"),
}

# How a dispatch travels, as the end of a sentence.
HOW = {
    "donor": gettext_lazy("by its own transport"),
    "commercial": gettext_lazy("commercially"),
    "airlift": gettext_lazy("by airlift"),
    "road": gettext_lazy("by road"),
    "sea": gettext_lazy("by sea"),
}

# Objects named by a number until they get a reference: said in the reader's language.
_NUMBERED = [
    (re.compile(r"^RFA draft #(\d+)(/\d+)?$"), gettext_lazy("draft request no. %(n)s%(rest)s")),
    (re.compile(r"^Sitrep draft #(\d+)()$"), gettext_lazy("sitrep draft no. %(n)s%(rest)s")),
    (re.compile(r"^airlift plan (\d+)()$"), gettext_lazy("airlift plan no. %(n)s%(rest)s")),
]


def _what(entry: AuditEntry) -> str:
    for pattern, words in _NUMBERED:
        match = pattern.match(entry.target_repr)
        if match:
            return str(words) % {"n": match[1], "rest": match[2] or ""}
    return entry.target_repr


def _who(entry: AuditEntry) -> str:
    party = entry.actor_party
    if party is None:
        return entry.actor.get_username() if entry.actor else _("The system")
    if party.kind == party.Kind.CENTRE:
        return _("The centre")
    french = (get_language() or "en").startswith("fr")
    return (party.name_fr if french else party.name_en) or party.code


def _moved(entry: AuditEntry) -> int | None:
    """The quantity the entry moved, from its recorded changes."""
    changes = entry.changes or {}
    key = {"offer_line.accept": "accepted", "offer_line.decline": "declined"}.get(entry.action)
    if key is not None:
        pair = changes.get(key)
        return int(pair[1]) - int(pair[0]) if pair else None
    pair = changes.get("quantity")
    return int(pair[1]) if pair and pair[1] is not None else None


def _model(entry: AuditEntry) -> str:
    return ContentType.objects.get_for_id(entry.target_type_id).model


# For the models whose entries name an item and a quantity (offer lines, dispatches,
# receipts): the paths to the item's EN and FR names and to the quantity, registered by
# the model's own app in its AppConfig.ready() (audit imports no app).
_SUBJECTS: dict[str, tuple[type[models.Model], str, str, str | None]] = {}


def register_subject(
    model: type[models.Model], item_en: str, item_fr: str, quantity: str | None = None
) -> None:
    _SUBJECTS[model._meta.model_name or ""] = (model, item_en, item_fr, quantity)


def _targets(entries: list[AuditEntry]) -> dict[tuple[str, int], tuple[str, str, int | None]]:
    """(model, id) → (item name EN, item name FR, quantity) for the registered models:
    one query per model at most, however many entries."""
    ids: dict[str, set[int]] = {name: set() for name in _SUBJECTS}
    for e in entries:
        model = _model(e)
        if model in ids:
            ids[model].add(e.target_id)
    out: dict[tuple[str, int], tuple[str, str, int | None]] = {}
    for name, wanted in ids.items():
        if not wanted:
            continue
        subject, en, fr, quantity = _SUBJECTS[name]
        rows = subject._default_manager.filter(pk__in=wanted)
        if quantity is None:
            for pk, item_en, item_fr in rows.values_list("pk", en, fr):
                out[name, pk] = (item_en, item_fr, None)
        else:
            for pk, item_en, item_fr, n in rows.values_list("pk", en, fr, quantity):
                out[name, pk] = (item_en, item_fr, n)
    return out


def sentences(entries: Iterable[AuditEntry]) -> list[tuple[AuditEntry, str]]:
    """Each entry with its sentence, in the active language. An action without a
    sentence (which the test forbids) shows the object, never the code."""
    rows = list(entries)
    targets = _targets(rows)
    french = (get_language() or "en").startswith("fr")
    out = []
    for entry in rows:
        en, fr, quantity = targets.get((_model(entry), entry.target_id), ("", "", None))
        moved = _moved(entry)
        n = moved if moved is not None else quantity
        values = {
            "who": _who(entry),
            "what": _what(entry),
            "n": _number(n),
            "item": (fr if french else en) or en or "\u2013",
            "how": str(HOW.get((entry.changes or {}).get("mode", [None, ""])[1], "")),
            "changed": _changed(entry) if entry.action == "catalogue_item.update" else "",
        }
        words = SENTENCES.get(entry.action)
        text = str(words) % values if words is not None else values["what"]
        out.append((entry, text.strip()))
    return out


def _changed(entry: AuditEntry) -> str:
    """The fields an entry's ``changes`` lists, old → new where that is short."""
    parts = []
    changes = entry.changes or {}
    # In FIELDS' order: PostgreSQL's jsonb does not keep the order the keys were written.
    for name, words in FIELDS.items():
        pair = changes.get(name)
        if not isinstance(pair, list) or len(pair) != 2:
            continue
        old, new = (_shown(name, v) for v in pair)
        parts.append(str(words) % {"old": old, "new": new})
    return ", ".join(parts) or "\u2013"


def _shown(name: str, value: Any) -> str:
    """One old or new value in the reader's language (0,004 kg in French)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name in ("unit_weight_kg", "unit_volume_m3", *TRANSPORT_FIELDS) and value is not None:
        return number_format(Decimal(str(value)))
    return str(value)


def _number(n: int | None) -> str:
    return "\u2013" if n is None else number_format(n, force_grouping=True)
