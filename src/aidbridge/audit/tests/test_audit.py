import pytest
from django.db import transaction

from aidbridge.audit.models import AuditEntry
from aidbridge.audit.selectors import history_of
from aidbridge.audit.services import record


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
    assert list(history_of(crisis)) == [entry]

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
