"""Cross-cutting tables that belong to no single business area."""

from django.db import models


class Sequence(models.Model):
    """A per-year counter behind human references such as ``RFA-2020-0007``.

    Numbers are taken under a row lock (see ``core.references``) so two duty officers
    circulating at the same moment never get the same reference.
    """

    name = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="core_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}/{self.year}: {self.last}"
