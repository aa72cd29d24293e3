"""What a story is checked against after every step (the other half of ``test_story_model``).

``act`` runs one service call as one user and holds a refusal to having changed nothing;
``check`` reads every consumer (picture API, RFA pages, matrix CSV, picture export, a
sitrep drafted now, the allocation input, airlift consignments) and holds each to the
figures of ``story_ledger`` and its invariants, and the maintained figures to a
recomputation from scratch. The steps that drive the story stay in ``test_story_model``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from aidbridge.audit.models import AuditEntry
from aidbridge.conftest import ApiClient
from aidbridge.core.errors import DomainError
from aidbridge.crises.models import Crisis
from aidbridge.ledger.recompute import recompute
from aidbridge.logistics.models import Dispatch, Receipt
from aidbridge.notifications.models import Notification
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.requests.models import RequestForAssistance, RequestLine

from . import story_consumers as read
from .story_ledger import DONOR_FIGURES, Story, add_up, check_invariants, with_coverage

FIGURES = {"requested", "offered", "accepted", "dispatched", "delivered"}
PICTURE = {*FIGURES, "awaiting", "over_accepted", "outstanding", "coverage"}
DONOR = frozenset(DONOR_FIGURES)  # a donor's row has no "requested" of its own


class StoryChecks:
    """Mixed into the story machine: it owns ``crisis``, ``story`` and the clients."""

    users: dict[str, Any]
    api: ApiClient
    web: Client
    crisis: Crisis
    story: Story

    def snapshot(self) -> tuple[Any, ...]:
        c = self.crisis
        return (
            Crisis.objects.filter(pk=c.pk).values_list("status").get(),
            list(RequestForAssistance.objects.filter(crisis=c).values_list().order_by("pk")),
            list(RequestLine.objects.filter(rfa__crisis=c).values_list().order_by("pk")),
            Offer.objects.filter(crisis=c).count(),
            list(OfferLine.objects.filter(offer__crisis=c).values_list().order_by("pk")),
            list(
                Dispatch.objects.filter(offer_line__offer__crisis=c).values_list("pk", "quantity")
            ),
            list(Receipt.objects.filter(dispatch__offer_line__offer__crisis=c).values_list("pk")),
            AuditEntry.objects.count(),
            Notification.objects.count(),
        )

    def fresh_crisis(self) -> Crisis:
        """As the API and the pages do: the crisis as it is now, not as first read."""
        return Crisis.objects.get(pk=self.crisis.pk)

    @staticmethod
    def pick(who: str, right: str) -> str:
        return right if who == "right" else who

    def act(self, who: str, may: bool, call: Callable[[Any], Any]) -> Any:
        """Run ``call`` as ``who``. ``may``: the role is entitled to try (else it must be
        refused). Returns the service's result, or None when it was refused."""
        before = self.snapshot()
        try:
            result = call(self.users[who])
        except DomainError as error:
            assert self.snapshot() == before, f"refused ({error!r}) yet something changed"
            return None
        assert may, f"{who} may not do this, yet it was done"
        return result

    def check(self) -> None:
        s, code = self.story, self.crisis.code
        lines = s.lines_figures()
        for key, figures in [*lines.items(), *s.grouped("all").items()]:
            check_invariants(f"ledger {key}", figures)
        pic = read.picture(self.api, code)
        for part in ("lines", "overall", "nation", "item"):
            for key, figures in pic[part].items():
                check_invariants(f"picture {part} {key}", figures)
        read.same("picture lines", lines, pic["lines"], PICTURE)
        read.same("picture overall", s.grouped("all"), pic["overall"], PICTURE)
        read.same("picture by nation", s.grouped("nation"), pic["nation"], PICTURE)
        read.same("picture by item", s.grouped("item"), pic["item"], PICTURE)
        read.same(
            "picture by donor", s.donor_figures(), pic["donor"], {"offered", "available"}, DONOR
        )
        pictured = sorted({n.rfa for n in s.pictured()})
        read.same("RFA pages", lines, read.rfa_pages(self.web, pictured), FIGURES)
        cells = {
            f"{s.rfas[n.rfa].requester}|{n.item}": n for n in s.pictured()
        }  # one cell per nation and item
        grid = {k: v for k, v in _by_cell(s).items() if k in cells}
        read.same("matrix CSV", grid, read.matrix_csv(self.web, code), FIGURES | {"outstanding"})
        by_ref = {f"{s.rfas[n.rfa].reference}|{n.position}": lines[n.id] for n in s.pictured()}
        read.same("picture export", by_ref, read.picture_export(self.api, code), FIGURES)
        sitrep = read.sitrep(self.crisis)
        read.same("sitrep requests", grid, sitrep["requests"], FIGURES | {"outstanding"})
        read.same(
            "sitrep assistance",
            s.donor_figures(by_item=True),
            sitrep["assistance"],
            {"offered"},
            DONOR,
        )
        needs, supplies = read.allocation_input(self.crisis)
        assert needs == s.open_needs(), f"allocation needs {needs} != {s.open_needs()}"
        assert supplies == s.stock_supplies(), f"allocation supplies {supplies}"
        flights = read.consignments(self.crisis)
        assert flights == s.consignments(), f"consignments {flights} != {s.consignments()}"
        # The maintained figures are a cache of the definitions, never a second rule.
        assert recompute(self.crisis) == [], "maintained figures differ from the ledger's"


def _by_cell(s: Story) -> dict[str, Any]:
    """Figures per "nation|item", as the matrix and the sitrep's request rows group them."""
    cells: dict[str, list[Any]] = {}
    for need in s.pictured():
        cells.setdefault(f"{s.rfas[need.rfa].requester}|{need.item}", []).append(
            s.need_figures(need)
        )
    return {key: with_coverage(add_up(rows)) for key, rows in cells.items()}
