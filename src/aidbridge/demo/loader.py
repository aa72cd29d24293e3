"""Playing the COVID-19 scenario through the services, as the real users would.

Each request is drafted and submitted by its nation's POC, circulated (or returned) by
the duty officer, answered by the donors' POCs, accepted or declined by the requester,
dispatched by the donor and received by the requester: the audit trail, the references
and the notifications are the services' own. Every step is played at its 2020 time, in
the order the stories happened (``demo.timetable``, with the clock of ``demo.clock``), so
the audit trail, the circulations and the decisions read 2020 like the dispatches and
receipts, and each sitrep is published on its 2020 date.

Loading twice duplicates nothing: users are found by username, the crisis by code, a
request by (crisis, requester, title) and an unsolicited offer by (crisis, donor,
conditions); a request already there is reused with everything that hangs from it.
The whole load is one transaction, so a failure leaves no half-played story behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from aidbridge.accounts.services import create_user
from aidbridge.airlift.services import seed_fleet
from aidbridge.catalogue.models import Item
from aidbridge.catalogue.services import load_catalogue
from aidbridge.crises.models import Crisis
from aidbridge.crises.services import create_crisis
from aidbridge.demo import scenario as sc
from aidbridge.demo.clock import Clock, replay_clock
from aidbridge.demo.hospitals import load_hospitals
from aidbridge.demo.open_transfers import load_open_transfers
from aidbridge.demo.stories import SCENARIO
from aidbridge.demo.timetable import OfferTimes, Times, Timetable
from aidbridge.hospitals.transfers import set_transfer_need
from aidbridge.logistics.services import confirm_receipt, dispatch_offer_line
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.offers.services import (
    accept_offer_line,
    decline_offer_line,
    make_offer,
    make_unsolicited_offer,
    withdraw_offer_line,
)
from aidbridge.ops.bootstrap import bootstrap_centre
from aidbridge.parties.seed import load_parties
from aidbridge.requests import services as rfa_services
from aidbridge.requests.models import RequestForAssistance, RequestLine
from aidbridge.requests.services import create_rfa
from aidbridge.sitreps.demo import publish_demo_sitreps

SUPERUSER = "admin"
# The three sitreps of the story: after the first requests and offers, once Spain's and
# Czechia's requests have had answers, and after the second wave's requests.
SITREPS_AT = (
    datetime(2020, 3, 27, 18, tzinfo=UTC),
    datetime(2020, 4, 10, 18, tzinfo=UTC),
    datetime(2020, 11, 20, 18, tzinfo=UTC),
)


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.reused
        bucket[kind] = bucket.get(kind, 0) + 1

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.reused))
        return [
            f"{k}: {self.created.get(k, 0)} created, {self.reused.get(k, 0)} reused" for k in kinds
        ]


@dataclass
class _Story:
    """What one request's steps pass on to the next: the request and its lines."""

    rfa: Any = None
    lines: list[RequestLine] = field(default_factory=list)


class _Play:
    """One run of the scenario: who acts for which party, and what was done."""

    def __init__(self, password: str, report: DemoReport):
        self.password = password
        self.report = report
        self.admin = bootstrap_centre(SUPERUSER, password=password)
        self.users: dict[str, Any] = {}
        self.pocs: dict[str, Any] = {}

    # -- people and the crisis ------------------------------------------------------

    def people(self) -> None:
        model = get_user_model()
        for spec in sc.USERS:
            found = model.objects.filter(username=spec.username).first()
            if found is None:
                found = create_user(
                    self.admin,
                    username=spec.username,
                    email=f"{spec.username}@demo.aidbridge.example.org",
                    party=spec.party,
                    role=spec.role,
                    password=self.password,
                    language=spec.language,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                )
                self.report.add("users", True)
            else:
                self.report.add("users", False)
            self.users[spec.username] = found
            if spec.role == "national_poc":
                self.pocs.setdefault(spec.party, found)

    def crisis(self, clock: Clock) -> Crisis:
        found = Crisis.objects.filter(code=sc.CRISIS_CODE).first()
        self.report.add("crises", found is None)
        if found is not None:
            return found

        spec = sc.CRISIS
        clock.set(datetime.combine(spec.started_on, time(8), tzinfo=UTC))
        return create_crisis(
            self.users["duty"],
            code=spec.code,
            name_en=spec.name_en,
            name_fr=spec.name_fr,
            started_on=spec.started_on,
            description=spec.description,
        )

    # -- requests -------------------------------------------------------------------

    def rfa(self, crisis: Crisis, spec: sc.Rfa, table: Timetable) -> None:
        """Schedule the story of one request (nothing if it is there already)."""
        found = RequestForAssistance.objects.filter(
            crisis=crisis, requester__code=spec.requester, title=spec.title
        ).exists()
        self.report.add("requests", not found)
        if found:
            return
        times = Times.of(spec)
        story = _Story()
        table.add(times.drafted, lambda: self._draft(crisis, spec, story))
        if spec.stage == "draft":
            return
        table.add(times.sent, lambda: self._act(story, spec.requester, "submit"))
        if spec.stage == "submitted":
            return
        if spec.stage == "returned":
            table.add(times.circulated, lambda: self._act(story, "duty", "return", spec.reason))
            return
        table.add(times.circulated, lambda: self._act(story, "duty", "circulate"))
        for offer, when in zip(spec.offers, times.offers, strict=True):
            self.offer(story, offer, when, table)
        if spec.stage == "withdrawn":
            table.add(
                times.ended, lambda: self._act(story, spec.requester, "withdraw", spec.reason)
            )
        elif spec.stage == "closed":
            table.add(
                times.ended, lambda: self._act(story, "duty", "close", spec.reason, spec.closure)
            )

    def _draft(self, crisis: Crisis, spec: sc.Rfa, story: _Story) -> None:
        poc = self.pocs[spec.requester]
        name, email, phone = spec.contact
        story.rfa = create_rfa(
            poc,
            crisis=crisis,
            title=spec.title,
            situation=spec.situation,
            lines=[_line_payload(line) for line in spec.lines],
            contact_name=name or f"{poc.first_name} {poc.last_name}",
            contact_email=email or poc.email,
            contact_phone=phone,
            entry_notes=spec.entry_notes,
        )
        story.lines = list(RequestLine.objects.filter(rfa=story.rfa).order_by("position"))
        # Patient-transfer lines get their detail (bed type, origin, constraints).
        for line, line_spec in zip(story.lines, spec.lines, strict=True):
            if line_spec.transfer is not None:
                bed_type, region, ventilated, isolation = line_spec.transfer
                set_transfer_need(
                    poc,
                    line,
                    bed_type=bed_type,
                    origin_region=region,
                    ventilated=ventilated,
                    needs_isolation=isolation,
                )

    def _act(self, story: _Story, who: str, action: str, *args: str) -> None:
        actor = self.users[who] if who == "duty" else self.pocs[who]
        if action == "submit":
            story.rfa = rfa_services.submit_rfa(actor, story.rfa)
        elif action == "return":
            story.rfa = rfa_services.return_rfa(actor, story.rfa, args[0])
        elif action == "circulate":
            story.rfa = rfa_services.circulate_request(actor, story.rfa)
        elif action == "withdraw":
            story.rfa = rfa_services.withdraw_rfa(actor, story.rfa, args[0])
        else:
            story.rfa = rfa_services.close_rfa(actor, story.rfa, args[1], reason=args[0])

    def offer(self, story: _Story, spec: sc.Offer, times: OfferTimes, table: Timetable) -> None:
        made: list[OfferLine] = []
        donor = self.pocs[spec.donor]

        def make() -> None:
            offer = make_offer(
                donor,
                rfa=story.rfa,
                lines=[
                    {"request_line": story.lines[ol.line], "quantity": ol.quantity}
                    for ol in spec.lines
                ],
                available_from=spec.available_from,
                origin_airport=spec.origin_airport,
                own_transport=spec.own_transport,
                conditions=spec.conditions,
            )
            self.report.add("offers", True)
            made.extend(OfferLine.objects.filter(offer=offer).order_by("id"))

        def decide() -> None:
            requester = self.pocs[story.rfa.requester.code]
            for i, ol_spec in enumerate(spec.lines):
                if ol_spec.withdraw:
                    made[i] = withdraw_offer_line(donor, made[i], ol_spec.withdraw)
                if ol_spec.accept:
                    made[i] = accept_offer_line(requester, made[i], ol_spec.accept)
                if ol_spec.decline:
                    made[i] = decline_offer_line(requester, made[i], ol_spec.decline)

        table.add(times.made, make)
        table.add(times.decided, decide)
        for i, ol_spec in enumerate(spec.lines):
            for dispatch in ol_spec.dispatches:
                self.dispatch(story, donor, made, i, dispatch, table)

    def dispatch(
        self,
        story: _Story,
        donor: Any,
        made: list[OfferLine],
        index: int,
        spec: sc.Dispatch,
        table: Timetable,
    ) -> None:
        sent: list[Any] = []

        def go() -> None:
            sent.append(
                dispatch_offer_line(
                    donor,
                    made[index],
                    quantity=spec.quantity,
                    mode=spec.mode,
                    dispatched_at=spec.at,
                    transport_reference=spec.reference,
                    note=spec.note,
                )
            )
            self.report.add("dispatches", True)

        table.add(spec.at, go)
        receipt = spec.receipt
        if receipt is None:
            return

        def arrive() -> None:
            confirm_receipt(
                self.pocs[story.rfa.requester.code],
                sent[0],
                quantity=receipt.quantity,
                received_at=receipt.at,
                note=receipt.note,
            )
            self.report.add("receipts", True)

        table.add(receipt.at, arrive)

    def unsolicited(self, crisis: Crisis, spec: sc.Unsolicited, table: Timetable) -> None:

        found = Offer.objects.filter(
            crisis=crisis, donor__code=spec.donor, rfa__isnull=True, conditions=spec.conditions
        ).exists()
        self.report.add("unsolicited offers", not found)
        if found:
            return
        if spec.made is None:
            raise ValueError(f"the demo's standing offer {spec.conditions!r} says not when")
        table.add(spec.made, lambda: self._unsolicited(crisis, spec))

    def _unsolicited(self, crisis: Crisis, spec: sc.Unsolicited) -> None:
        make_unsolicited_offer(
            self.pocs[spec.donor],
            crisis=crisis,
            lines=[
                {"item": Item.objects.get(code=code), "quantity": qty} for code, qty in spec.lines
            ],
            available_from=spec.available_from,
            origin_airport=spec.origin_airport,
            own_transport=spec.own_transport,
            conditions=spec.conditions,
        )


def _line_payload(line: sc.Line) -> dict[str, Any]:
    item = Item.objects.get(code=line.item)
    return {
        "item": item,
        "quantity": line.quantity,
        "unit": item.unit,
        "specification": line.specification,
        "priority": line.priority,
        "needed_by": line.needed_by,
        "delivery_airport": line.airport,
        "delivery_place": line.place,
        "transport_needed": line.transport_needed,
    }


@transaction.atomic
def load_base(password: str = sc.DEMO_PASSWORD) -> DemoReport:
    """The same catalogue, parties, demo users and crisis, without the scenario: a second
    centre of the federated demo (``demo/federated.py``), whose requests come from its
    partner."""
    report = DemoReport()
    load_catalogue()
    play = _Play(password, report)
    load_parties(play.admin)
    play.people()
    with replay_clock() as clock:
        play.crisis(clock)
    return report


@transaction.atomic
def load_demo(password: str = sc.DEMO_PASSWORD) -> DemoReport:
    """Load catalogue, parties, demo users and the scenario; reuse what is there."""
    report = DemoReport()
    load_catalogue()
    play = _Play(password, report)
    load_parties(play.admin)
    play.people()
    # Hospitals and their spring-2020 bed reports are set up at today's date, like the
    # people (a report dated after the replay clock would be refused as from the future).
    load_hospitals(play.pocs, report)
    with replay_clock() as clock:
        crisis = play.crisis(clock)
        table = Timetable()
        for rfa in SCENARIO.rfas:
            play.rfa(crisis, rfa, table)
        for offer in SCENARIO.unsolicited:
            play.unsolicited(crisis, offer, table)

        # The story is told in three situation reports (``SITREPS_AT``), each published
        # at its date once the story has reached it, so each shows its changes in bold.
        # Publishing is idempotent: once the crisis has sitreps none is added, and the
        # rest of the story is only reconciled (reused, not duplicated).
        def until(moment: datetime) -> Any:
            def step() -> None:
                table.play_until(clock, moment)
                clock.set(moment)

            return step

        existed = crisis.sitreps.filter(status="published").exists()
        if not existed:
            until(SITREPS_AT[0])()
        sitreps = publish_demo_sitreps(
            crisis,
            duty_officer=play.users["duty"],
            head_of_centre=play.users["head"],
            between=[until(moment) for moment in SITREPS_AT[1:]],
        )
        table.play_until(clock)
    for _ in sitreps:
        report.add("sitreps", not existed)
    # The airlift cell's reference types and fleet (SALIS, SAC, national aircraft), so
    # the airlift pages have aircraft to plan with; idempotent like the rest.
    seed_fleet(play.users["duty"])
    # Open transfer requests and fresh bed offers, for the transfers page's matching.
    load_open_transfers(crisis, play.pocs, play.users["duty"], report)
    return report
