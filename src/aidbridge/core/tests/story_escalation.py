"""The story test's escalation step: the centre circulates a submitted request as an
escalation of a circulated one, and the model merges the lines as the domain says
(``requests.escalation``), so every consumer's figures are checked after it too."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from aidbridge.catalogue.models import Substitute
from aidbridge.requests import escalation
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.services import submit_rfa

from .story_ledger import Need

CENTRE = ("duty", "head")
ROLES = ("ita", "esp", "deu", *CENTRE, "airlift", "ocha")
FROM = {  # the request states each action is meant for (choose() mostly picks those)
    "submit": {"draft", "returned"},
    "circulate": {"submitted"},
    "return": {"submitted"},
    "withdraw": {"draft", "submitted", "returned", "circulated"},
    "close": {"submitted", "returned", "circulated"},
    "escalate": {"submitted"},
}

# "right" is whoever the action is for (the requester, the donor, the centre): without
# it most steps would be refusals and stories would rarely get to dispatches.
actors = st.sampled_from((*ROLES, "right", "right", "right", "right"))


def choose(data: st.DataObject, fitting: list[int], anything: list[int]) -> int:
    """Mostly one the action fits (a story moves on), sometimes any (it must be refused
    cleanly when it does not fit)."""
    use_fitting = bool(fitting) and data.draw(st.integers(0, 3)) > 0
    pool = fitting if use_fitting else anything or fitting
    chosen: int = data.draw(st.sampled_from(sorted(pool)))
    return chosen


def _related(a: str, b: str) -> bool:
    """The same item, or one a catalogue substitute for the other (the link rule)."""
    return (
        a == b
        or Substitute.objects.filter(
            Q(need_item__code=a, supply_item__code=b) | Q(need_item__code=b, supply_item__code=a)
        ).exists()
    )


class EscalationRules:
    """A mixin of ``StoryMachine`` (``story``, ``act``, ``pick`` and ``check`` are its)."""

    story: Any
    act: Any
    pick: Any
    check: Any

    create: Any
    rfa_action: Any

    def _linked(self, rfa: Any, target: Any) -> bool:
        """The link rule (``requests.links``): another request of the same nation, open
        and circulated, with an item in common or a substitute (all are recent)."""
        mine = [n.item for n in self.story.needs.values() if n.rfa == rfa.id]
        theirs = [n.item for n in self.story.needs.values() if n.rfa == target.id]
        return (
            rfa.id != target.id
            and rfa.requester == target.requester
            and target.status == "circulated"
            and any(_related(a, b) for a in mine for b in theirs)
        )

    def _repeat(self, target: Any, more: int) -> None:
        """The target's nation asks again for its lines, ``more`` of each, and submits."""
        lines = [
            (n.item, n.quantity + more, n.transport)
            for n in self.story.needs.values()
            if n.rfa == target.id
        ][:2]
        self.create(target.requester.lower(), lines)
        newest = self.story.rfas[max(self.story.rfas)]
        self.rfa_action("right", newest, "submit", submit_rfa)

    @precondition(lambda self: self.story.rfas)
    @rule(who=actors, data=st.data(), repeat=st.booleans(), more=st.integers(-5, 40))
    def escalate(self, who: str, data: st.DataObject, repeat: bool, more: int) -> None:
        """The centre circulates a submitted request as an escalation of a circulated one
        (any pair: a pair the link rule does not join must be refused, changing nothing).
        With ``repeat`` the nation first asks again for a circulated request's lines, so
        that stories often get there."""
        rfas = self.story.rfas
        circulated = [r for r in rfas.values() if r.status == "circulated"]
        if repeat and circulated:
            self._repeat(circulated[data.draw(st.integers(0, len(circulated) - 1))], more)
        fits = [r.id for r in rfas.values() if r.status in FROM["escalate"]]
        rfa = rfas[choose(data, fits, list(rfas))]
        linked = [r.id for r in rfas.values() if self._linked(rfa, r)]
        target = rfas[choose(data, linked, list(rfas))]
        who = self.pick(who, "duty")
        mine = [n for n in self.story.needs.values() if n.rfa == rfa.id]
        theirs = [n for n in self.story.needs.values() if n.rfa == target.id]
        row, into = (RequestForAssistance.objects.get(pk=r.id) for r in (rfa, target))
        may = who in CENTRE and rfa.status == "submitted" and self._linked(rfa, target)
        last = max((n.position for n in theirs), default=0)
        if self.act(who, may, lambda u: escalation.circulate_as_escalation(u, row, into)) is None:
            return
        # The model's own merge: a same-item line rises to what the repeat asks (never
        # less); any other line is added to the target (its new rows give the ids).
        used: set[int] = set()
        new_rows = iter(
            RequestLine.objects.filter(rfa_id=target.id, position__gt=last).order_by("position")
        )
        for need in sorted(mine, key=lambda n: n.position):
            into_need = next((n for n in theirs if n.item == need.item and n.id not in used), None)
            if into_need is not None:
                used.add(into_need.id)
                into_need.quantity = max(into_need.quantity, need.quantity)
                continue
            line = next(new_rows)
            self.story.needs[line.pk] = Need(
                line.pk, target.id, line.position, need.item, need.quantity, need.transport
            )
        rfa.status = "closed"
        rfa.reference = RequestForAssistance.objects.get(pk=rfa.id).reference
        self.story.settle_closed(rfa.id)
        self.check()
