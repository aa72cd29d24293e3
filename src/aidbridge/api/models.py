"""Stored first answers to POSTs sent with an ``Idempotency-Key`` header."""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    # Who sent it: "user:<id>" for a session, "token:<hash>" for a token, so one client's
    # key never answers another's request.
    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    # For reading the table only (the request hash covers the whole path): cut to fit.
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    # None while the request is being processed (or if its process died: see the lease).
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.BinaryField(default=b"")
    content_type = models.CharField(max_length=100, blank=True)
    # When the key was (last) reserved: the lease and the expiry count from here.
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Which reservation holds the key: a request whose lease was taken over must not
    # overwrite the answer of the one that took it.
    owner = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="idempotency_principal_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.method} {self.path}"
