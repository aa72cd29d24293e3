"""Maintained figures: a cache of the ledger's definitions, never a second rule.

``LineFigures`` holds each pictured request line's figures as ``sums.per_line`` computes
them; ``CellFigures`` their sums per crisis, requesting nation and item, which the
picture and the dashboards read instead of scanning the crisis. Both are written only by
``maintained.refresh_lines`` in the transaction of the change, and
``aidbridge ledger recompute`` checks them against the definitions.
"""

from __future__ import annotations

from django.db import models

from aidbridge.catalogue.models import Item
from aidbridge.crises.models import Crisis
from aidbridge.offers.models import Offer, OfferLine
from aidbridge.parties.models import Party
from aidbridge.requests.models import RequestLine


class MaintainedFigures(models.Model):
    """The columns of ``figures.Figures``, one per figure."""

    lines = models.IntegerField(default=0)
    open_lines = models.IntegerField(default=0)
    requested = models.BigIntegerField(default=0)
    offered = models.BigIntegerField(default=0)
    awaiting = models.BigIntegerField(default=0)
    accepted = models.BigIntegerField(default=0)
    declined = models.BigIntegerField(default=0)
    over_accepted = models.BigIntegerField(default=0)
    dispatched = models.BigIntegerField(default=0)
    in_transit = models.BigIntegerField(default=0)
    delivered = models.BigIntegerField(default=0)
    short_on_arrival = models.BigIntegerField(default=0)
    outstanding = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class LineFigures(MaintainedFigures):
    """One pictured request line's figures (a line leaves when it leaves the picture)."""

    request_line = models.OneToOneField(
        RequestLine, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    nation = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["crisis", "nation", "item"])]

    def __str__(self) -> str:
        return f"figures of request line {self.pk}"


class CellFigures(MaintainedFigures):
    """The sum of the pictured lines of one crisis, requesting nation and item.

    Concurrent changes to lines of different nations or items touch different rows, so
    they do not wait for each other; a page sums a crisis's few hundred cells.
    """

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    nation = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["crisis", "nation", "item"], name="ledger_cell_unique")
        ]

    def __str__(self) -> str:
        return f"figures of crisis {self.crisis_id}, nation {self.nation_id}, item {self.item_id}"


class MaintainedDonorFigures(models.Model):
    """The columns of ``figures.DonorFigures`` that add up line by line (``offers`` counts
    offers, ``available`` is pledged less drawn: both are worked out when read)."""

    offered = models.BigIntegerField(default=0)
    awaiting = models.BigIntegerField(default=0)
    accepted = models.BigIntegerField(default=0)
    declined = models.BigIntegerField(default=0)
    dispatched = models.BigIntegerField(default=0)
    in_transit = models.BigIntegerField(default=0)
    delivered = models.BigIntegerField(default=0)
    short_on_arrival = models.BigIntegerField(default=0)
    pledged = models.BigIntegerField(default=0)
    drawn = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class OfferLineFigures(MaintainedDonorFigures):
    """What one offer line adds to its donor's figures: as an answer to a pictured
    request line, or as standing stock (pledged, and drawn from it)."""

    offer_line = models.OneToOneField(
        OfferLine, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    donor = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["crisis", "donor", "item"])]

    def __str__(self) -> str:
        return f"figures of offer line {self.pk}"


class DonorCellFigures(MaintainedDonorFigures):
    """The sum of the offer lines of one crisis, donor and item."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    donor = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["crisis", "donor", "item"], name="ledger_donor_unique")
        ]

    def __str__(self) -> str:
        return f"figures of crisis {self.crisis_id}, donor {self.donor_id}, item {self.item_id}"


class OfferCount(models.Model):
    """Whether an offer is counted in its donor's ``offers`` figure
    (``sums.COUNTED_OFFER``) as its ``DonorOffers`` row says, so that refreshing an offer
    twice counts it once."""

    offer = models.OneToOneField(
        Offer, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    donor = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    counted = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"offer {self.pk} counted: {self.counted}"


class DonorOffers(models.Model):
    """How many of one crisis's donor's offers count in its figures (``DonorFigures.offers``:
    standing, or answering a request in the picture): its counted ``OfferCount`` rows."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="+")
    donor = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    offers = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["crisis", "donor"], name="ledger_donor_offers_unique")
        ]

    def __str__(self) -> str:
        return f"offers of crisis {self.crisis_id}, donor {self.donor_id}"
