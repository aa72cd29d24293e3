"""Playing the COVID-19 scenario through the services, as the real users would.

Each request is drafted and submitted by its nation's POC, circulated (or returned) by
the duty officer, answered by the donors' POCs, accepted or declined by the requester,
dispatched by the donor and received by the requester: the audit trail, the references
and the notifications are the services' own. The scenario's 2020 dates go where the
services take a date (needed-by, available-from, dispatched, received); the audit
entries carry the time the demo was loaded.

Loading twice duplicates nothing: users are found by username, the crisis by code, a
request by (crisis, requester, title) and an unsolicited offer by (crisis, donor,
conditions); a request already there is reused with everything that hangs from it.
The whole load is one transaction, so a failure leaves no half-played story behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from aidbridge.catalogue.models import Item
from aidbridge.catalogue.services import load_catalogue
from aidbridge.crises.models import Crisis
from aidbridge.demo import scenario as sc
from aidbridge.demo.bootstrap import bootstrap_centre
from aidbridge.demo.stories import SCENARIO
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.seed import load_parties
from aidbridge.requests.models import RequestForAssistance, RequestLine

SUPERUSER = "admin"


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
                from aidbridge.accounts.services import create_user

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

    def crisis(self) -> Crisis:
        found = Crisis.objects.filter(code=sc.CRISIS_CODE).first()
        self.report.add("crises", found is None)
        if found is not None:
            return found
        from aidbridge.crises.services import create_crisis

        spec = sc.CRISIS
        return create_crisis(
            self.users["duty"],
            code=spec.code,
            name_en=spec.name_en,
            name_fr=spec.name_fr,
            started_on=spec.started_on,
            description=spec.description,
        )

    # -- requests -------------------------------------------------------------------

    def rfa(self, crisis: Crisis, spec: sc.Rfa) -> RequestForAssistance:
        from aidbridge.requests.services import (
            circulate_request,
            close_rfa,
            create_rfa,
            return_rfa,
            submit_rfa,
            withdraw_rfa,
        )

        found = RequestForAssistance.objects.filter(
            crisis=crisis, requester__code=spec.requester, title=spec.title
        ).first()
        self.report.add("requests", found is None)
        if found is not None:
            return found
        poc, duty = self.pocs[spec.requester], self.users["duty"]
        name, email, phone = spec.contact
        rfa = create_rfa(
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
        self.transfers(poc, rfa, spec)
        if spec.stage == "draft":
            return rfa
        rfa = submit_rfa(poc, rfa)
        if spec.stage == "submitted":
            return rfa
        if spec.stage == "returned":
            rfa = return_rfa(duty, rfa, spec.reason)
            return rfa
        rfa = circulate_request(duty, rfa)
        lines = list(RequestLine.objects.filter(rfa=rfa).order_by("position"))
        for offer in spec.offers:
            self.offer(rfa, lines, offer)
        if spec.stage == "withdrawn":
            rfa = withdraw_rfa(poc, rfa, spec.reason)
        elif spec.stage == "closed":
            rfa = close_rfa(duty, rfa, spec.closure, reason=spec.reason)
        return rfa

    def transfers(self, poc: Any, rfa: RequestForAssistance, spec: sc.Rfa) -> None:
        """Patient-transfer lines get their detail (bed type, origin, constraints)."""
        from aidbridge.hospitals.transfers import set_transfer_need

        lines = RequestLine.objects.filter(rfa=rfa).order_by("position")
        for line, line_spec in zip(lines, spec.lines, strict=True):
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

    def offer(self, rfa: RequestForAssistance, lines: list[RequestLine], spec: sc.Offer) -> None:
        from aidbridge.offers.services import (
            accept_offer_line,
            decline_offer_line,
            make_offer,
            withdraw_offer_line,
        )

        donor, requester = self.pocs[spec.donor], self.pocs[rfa.requester.code]
        offer = make_offer(
            donor,
            rfa=rfa,
            lines=[{"request_line": lines[ol.line], "quantity": ol.quantity} for ol in spec.lines],
            available_from=spec.available_from,
            origin_airport=spec.origin_airport,
            own_transport=spec.own_transport,
            conditions=spec.conditions,
        )
        self.report.add("offers", True)
        made = list(OfferLine.objects.filter(offer=offer).order_by("id"))
        for ol_spec, line in zip(spec.lines, made, strict=True):
            if ol_spec.withdraw:
                withdraw_offer_line(donor, line, ol_spec.withdraw)
            if ol_spec.accept:
                line = accept_offer_line(requester, line, ol_spec.accept)
            if ol_spec.decline:
                decline_offer_line(requester, line, ol_spec.decline)
            for dispatch in ol_spec.dispatches:
                self.dispatch(donor, requester, line, dispatch)

    def dispatch(self, donor: Any, requester: Any, line: OfferLine, spec: sc.Dispatch) -> None:
        from aidbridge.logistics.services import confirm_receipt, dispatch_offer_line

        made = dispatch_offer_line(
            donor,
            line,
            quantity=spec.quantity,
            mode=spec.mode,
            dispatched_at=spec.at,
            transport_reference=spec.reference,
            note=spec.note,
            replayed=True,  # the 2020 acceptances are recorded now, the dispatches in 2020
        )
        self.report.add("dispatches", True)
        if spec.receipt is not None:
            confirm_receipt(
                requester,
                made,
                quantity=spec.receipt.quantity,
                received_at=spec.receipt.at,
                note=spec.receipt.note,
            )
            self.report.add("receipts", True)

    def unsolicited(self, crisis: Crisis, spec: sc.Unsolicited) -> None:
        from aidbridge.offers.services import make_unsolicited_offer

        found = Offer.objects.filter(
            crisis=crisis, donor__code=spec.donor, rfa__isnull=True, conditions=spec.conditions
        ).exists()
        self.report.add("unsolicited offers", not found)
        if found:
            return
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
def load_demo(password: str = sc.DEMO_PASSWORD) -> DemoReport:
    """Load catalogue, parties, demo users and the scenario; reuse what is there."""
    report = DemoReport()
    load_catalogue()
    play = _Play(password, report)
    load_parties(play.admin)
    play.people()
    crisis = play.crisis()
    from aidbridge.demo.hospitals import load_hospitals

    load_hospitals(play.pocs, report)
    # The story is told in three situation reports: the first after the first requests,
    # the next two after more of the story has happened, so each shows its changes in
    # bold. Publishing is idempotent: once the crisis has sitreps none is added, and the
    # rest of the story is only reconciled like the first part.
    from aidbridge.sitreps.demo import publish_demo_sitreps

    rfas = SCENARIO.rfas
    for rfa in rfas[:3]:
        play.rfa(crisis, rfa)

    def later(part: tuple[sc.Rfa, ...], unsolicited: tuple[sc.Unsolicited, ...] = ()) -> Any:
        def step() -> None:
            for rfa in part:
                play.rfa(crisis, rfa)
            for offer in unsolicited:
                play.unsolicited(crisis, offer)

        return step

    steps = [later(rfas[3:5]), later(rfas[5:], SCENARIO.unsolicited)]
    existed = crisis.sitreps.filter(status="published").exists()
    if existed:
        for step in steps:  # reconcile the rest of the story (reused, not duplicated)
            step()
    sitreps = publish_demo_sitreps(
        crisis,
        duty_officer=play.users["duty"],
        head_of_centre=play.users["head"],
        between=steps,
    )
    for _ in sitreps:
        report.add("sitreps", not existed)
    # The airlift cell's reference types and fleet (SALIS, SAC, national aircraft), so
    # the airlift pages have aircraft to plan with; idempotent like the rest.
    from aidbridge.airlift.fleet import seed_fleet

    seed_fleet(play.users["duty"])
    # Open transfer requests and fresh bed offers, for the transfers page's matching.
    from aidbridge.hospitals.demo_matching import load_open_transfers

    load_open_transfers(crisis, play.pocs, play.users["duty"], report)
    return report
