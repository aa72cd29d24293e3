import pytest
from django.db import transaction

from aidbridge.core.references import next_reference


@pytest.mark.django_db(transaction=True)
def test_references_count_up_per_year_and_prefix() -> None:
    with transaction.atomic():
        assert next_reference("RFA", 2020) == "RFA-2020-0001"
        assert next_reference("RFA", 2020) == "RFA-2020-0002"
        assert next_reference("RFA", 2021) == "RFA-2021-0001"
        assert next_reference("OFR", 2020) == "OFR-2020-0001"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_gives_its_number_back() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        next_reference("RFA", 2020)
        raise RuntimeError("the circulation failed")
    with transaction.atomic():
        assert next_reference("RFA", 2020) == "RFA-2020-0001"
