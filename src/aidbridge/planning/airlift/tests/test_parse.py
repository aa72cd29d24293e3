"""The spec's bad inputs: refused naming the entry, or kept out as unassigned."""

from __future__ import annotations

from typing import Any

import pytest

from aidbridge.planning.airlift import AirliftInputError, parse_airlift

from .factory import aircraft, consignment, document


def reasons(doc: dict[str, Any]) -> dict[str, str]:
    return {u.consignment: u.reason for u in parse_airlift(doc).rejected}


def test_valid_document_is_read_in_utc() -> None:
    inp = parse_airlift(document([consignment("C-1", ready_at="2020-04-01T10:00:00+02:00")]))
    assert [c.id for c in inp.consignments] == ["C-1"]
    assert inp.consignments[0].ready_at.isoformat() == "2020-04-01T08:00:00+00:00"
    assert inp.ground_minutes == 90 and inp.rejected == ()


def test_unknown_airport_is_unassigned_with_reason() -> None:
    got = reasons(document([consignment("C-1", destination="LYPG"), consignment("C-2")]))
    assert got == {"C-1": "unknown destination airport 'LYPG'"}


def test_ready_after_due_is_unassigned() -> None:
    doc = document(
        [consignment("C-1", ready_at="2020-04-03T08:00:00Z", due_by="2020-04-02T08:00:00Z")]
    )
    assert "is after due_by" in reasons(doc)["C-1"]


def test_duplicate_consignment_ids_are_all_unassigned() -> None:
    doc = document([consignment("C-1"), consignment("C-1", weight_kg=500), consignment("C-2")])
    inp = parse_airlift(doc)
    assert [c.id for c in inp.consignments] == ["C-2"]
    assert [u.consignment for u in inp.rejected] == ["C-1", "C-1"]
    assert "duplicate consignment id 'C-1'" in inp.rejected[0].reason


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["fleet"].append(aircraft("X-1", kind="Il-76")),
            "fleet[1] ('X-1'): unknown aircraft type 'Il-76'",
        ),
        (
            lambda d: d["fleet"].append(aircraft("X-1", base="ZZZZ")),
            "fleet[1] ('X-1'): unknown base airport 'ZZZZ'",
        ),
        (lambda d: d["fleet"].append(aircraft("SAC-1")), "fleet[1]: duplicate fleet entry 'SAC-1'"),
        (
            lambda d: d["airports"].append(dict(d["airports"][0])),
            "airports[7]: duplicate airports entry 'LHPA'",
        ),
        (
            lambda d: d["consignments"][0].update(weight_kg=-3),
            "consignments[0] ('C-1'): weight_kg must be positive",
        ),
        (
            lambda d: d["consignments"][0].update(weight_kg="heavy"),
            "consignments[0] ('C-1'): weight_kg must be a number",
        ),
        (
            lambda d: d["consignments"][0].update(priority=4),
            "consignments[0] ('C-1'): priority must be 1, 2 or 3",
        ),
        (
            lambda d: d["consignments"][0].update(due_by="soon"),
            "consignments[0] ('C-1'): due_by is not an ISO 8601 time",
        ),
        (
            lambda d: d["consignments"][0].pop("origin"),
            "consignments[0] ('C-1'): origin must be a non-empty string",
        ),
        (
            lambda d: d["aircraft_types"][0].update(size="huge"),
            "aircraft_types[0] ('C-17A'): size must be one of",
        ),
        (
            lambda d: d["airports"][1].update(lat=123),
            "airports[1] ('LTAC'): coordinates out of range",
        ),
        (
            lambda d: d["fleet"][0].update(available_until="2020-03-01T00:00:00Z"),
            "fleet[0] ('SAC-1'): available_until must be after",
        ),
        (lambda d: d.pop("consignments"), "'consignments' must be a list"),
        (
            lambda d: d.update(ground_minutes=-5),
            "ground_minutes must be a non-negative whole number",
        ),
    ],
)
def test_malformed_document_is_refused_naming_the_entry(change: Any, message: str) -> None:
    doc = document([consignment("C-1")])
    change(doc)
    with pytest.raises(AirliftInputError) as err:
        parse_airlift(doc)
    assert message in str(err.value)


def test_base_too_small_for_its_aircraft_is_refused() -> None:
    doc = document([consignment("C-1")], sizes={"LHPA": "medium"})
    with pytest.raises(AirliftInputError, match=r"fleet\[0\] \('SAC-1'\): base LHPA \(medium\)"):
        parse_airlift(doc)


def test_not_an_object_is_refused() -> None:
    with pytest.raises(AirliftInputError, match="must be a JSON object"):
        parse_airlift([1, 2])
