"""Bad inputs from the spec's list are refused, naming the entry; good ones round-trip."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aidbridge.planning.allocation import (
    AllocationInputError,
    input_to_json,
    load_allocation,
    parse_allocation,
)

from .factories import MILAN, doc, need, supply


def problems_of(document: Any) -> str:
    with pytest.raises(AllocationInputError) as caught:
        parse_allocation(document)
    return str(caught.value)


@pytest.mark.parametrize(
    ("bad_need", "expected"),
    [
        ({"item": "VENT-XXL"}, 'needs[0] "ITA-1": item "VENT-XXL" is not in items'),
        ({"quantity": 0}, 'needs[0] "ITA-1": quantity must be a positive integer, got 0'),
        ({"quantity": 2.5}, 'needs[0] "ITA-1": quantity must be a positive integer, got 2.5'),
        ({"quantity": "12"}, 'needs[0] "ITA-1": quantity must be a positive integer, got "12"'),
        ({"quantity": True}, 'needs[0] "ITA-1": quantity must be a positive integer, got true'),
        ({"priority": 4}, 'needs[0] "ITA-1": priority must be 1, 2 or 3, got 4'),
        ({"priority": 0}, 'needs[0] "ITA-1": priority must be 1, 2 or 3, got 0'),
        ({"needed_by": "2020-02-30"}, 'needs[0] "ITA-1": needed_by must be an ISO date'),
        ({"needed_by": 20200410}, 'needs[0] "ITA-1": needed_by must be an ISO date'),
        ({"location": {"lat": 91, "lon": 0}}, 'needs[0] "ITA-1": location must be'),
        ({"party": ""}, 'needs[0] "ITA-1": party must be a non-empty string'),
    ],
)
def test_bad_need_is_named(bad_need: dict[str, Any], expected: str) -> None:
    assert expected in problems_of(doc([need("ITA-1", **bad_need)], [supply("S1")]))


def test_bad_supply_fields_are_named() -> None:
    message = problems_of(
        doc(
            [need("ITA-1")],
            [supply("S1", available_from="soon", only_for="FRA", quantity=-3)],
        )
    )
    assert 'supplies[0] "S1": available_from must be an ISO date' in message
    assert 'supplies[0] "S1": only_for must be a list of party codes' in message
    assert 'supplies[0] "S1": quantity must be a positive integer, got -3' in message


def test_duplicate_ids_are_refused() -> None:
    message = problems_of(doc([need("ITA-1"), need("ITA-1")], [supply("S1"), supply("S1")]))
    assert 'needs[1] "ITA-1": duplicate need id "ITA-1"' in message
    assert 'supplies[1] "S1": duplicate supply id "S1"' in message


def test_unknown_substitute_item_and_duplicate_item() -> None:
    document = doc([need("ITA-1")], [supply("S1")], substitutes=[("MASK-SURG", "KN95")])
    document["items"] = [*document["items"], {"code": "VENT-ICU", "unit_weight_kg": 1}]
    message = problems_of(document)
    assert 'substitutes[0]: supply_item "KN95" is not in items' in message
    assert 'items[3] "VENT-ICU": duplicate item code "VENT-ICU"' in message


def test_every_problem_is_listed_not_just_the_first() -> None:
    with pytest.raises(AllocationInputError) as caught:
        parse_allocation(
            doc([need("A", quantity=0), need("B", priority=9)], [supply("S", item="X")])
        )
    entries = [entry for entry, _ in caught.value.problems]
    assert entries == ['needs[0] "A"', 'needs[1] "B"', 'supplies[0] "S"']


def test_not_an_object_and_not_json() -> None:
    assert "input: must be a JSON object" in problems_of([1, 2])
    with pytest.raises(AllocationInputError, match="not valid JSON"):
        load_allocation("{")


def test_good_input_round_trips() -> None:
    document = doc(
        [need("ITA-1", needed_by="2020-04-10", location=MILAN)],
        [supply("S1", available_from="2020-04-01", only_for=["ITA"], not_for=["FRA"])],
        substitutes=[("MASK-SURG", "RESP-FFP2")],
    )
    problem = parse_allocation(document)
    assert problem.needs[0].needed_by == dt.date(2020, 4, 10)
    assert problem.supplies[0].only_for == frozenset({"ITA"})
    assert parse_allocation(input_to_json(problem)) == problem
