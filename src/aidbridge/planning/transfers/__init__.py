"""Patient-transfer matcher: requested transfers to offered hospital beds.

The contract is ``docs/specs/transfers.md``. No Django import here: the ``hospitals``
app converts its models to these dataclasses and back.

    from aidbridge.planning.transfers import (
        MatchingInput, TransferNeed, BedOffer, Place, match_transfers, check_matching,
    )
    plan = match_transfers(MatchingInput(needs=..., offers=..., now=...))
    plan.transfers      # (need, offer, patients, minutes, mode, km)
    plan.shortfalls     # (need, patients, reason code)
    plan.regions        # fills, worst-served first
    check_matching(problem, plan).ok
"""

from .check import MatchingCheck, check_matching
from .model import (
    BedOffer,
    MatchingInput,
    MatchingInputError,
    MatchingPlan,
    Place,
    Reason,
    RegionFill,
    Shortfall,
    Transfer,
    TransferNeed,
    TransportModel,
)
from .solve import match_transfers

__all__ = [
    "BedOffer",
    "MatchingCheck",
    "MatchingInput",
    "MatchingInputError",
    "MatchingPlan",
    "Place",
    "Reason",
    "RegionFill",
    "Shortfall",
    "Transfer",
    "TransferNeed",
    "TransportModel",
    "check_matching",
    "match_transfers",
]
