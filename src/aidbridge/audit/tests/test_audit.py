import pytest
from django.db import transaction

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import history_of
from aidbridge.audit.services import record, record_many


@pytest.mark.django_db(transaction=True)
def test_record_is_refused_outside_the_transaction_of_the_change(users, crisis) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(users["duty"], "crisis.touch", crisis)
    assert not AuditEntry.objects.exists()


def test_history_is_append_only(db, users, crisis) -> None:
    with transaction.atomic():
        entry = record(
            users["duty"],
            "crisis.create",
            crisis,
            to_state="active",
            changes={"status": [None, "active"]},
            reason="opened",
        )
    assert entry.actor_party is not None
    assert entry.actor_party.code == "EADRCC"
    assert list(history_of(users["duty"], crisis)) == [entry]

    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "opened"


def test_record_many_writes_what_record_writes(db, users, crisis, parties) -> None:
    targets = [parties["ITA"], parties["ESP"], crisis]
    with transaction.atomic():
        one_by_one = [
            record(users["ita"], "party.touch", t, crisis=crisis, changes={"n": [None, i]})
            for i, t in enumerate(targets)
        ]
        in_bulk = record_many(
            users["ita"],
            "party.touch",
            [(t, {"n": [None, i]}) for i, t in enumerate(targets)],
            crisis=crisis,
        )
    fields = [
        "actor_id",
        "actor_party_id",
        "action",
        "target_type_id",
        "target_id",
        "target_repr",
        "crisis_id",
        "from_state",
        "to_state",
        "changes",
        "reason",
    ]
    saved = list(AuditEntry.objects.values(*fields))
    assert saved[3:] == saved[:3]
    assert [e.pk for e in in_bulk] == sorted(e.pk for e in in_bulk)
    assert all(e.pk > one_by_one[-1].pk for e in in_bulk)
    assert saved[0]["actor_party_id"] == parties["ITA"].pk


@pytest.mark.django_db(transaction=True)
def test_record_many_is_refused_outside_a_transaction_or_for_unsaved_targets(users, crisis) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_many(users["duty"], "crisis.touch", [(crisis, None)])
    with transaction.atomic(), pytest.raises(ValueError, match="before it is saved"):
        record_many(users["duty"], "crisis.touch", [(type(crisis)(code="new"), None)])
    assert not AuditEntry.objects.exists()
