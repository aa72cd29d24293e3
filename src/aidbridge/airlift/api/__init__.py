"""The airlift's API, one router: the fleet (``fleet``) and the consignments, planning
runs and sorties (``plans``), each thin (services decide, selectors read)."""

from ninja import Router

from aidbridge.airlift.api import fleet, plans

router = Router()
router.add_router("/", fleet.router)
router.add_router("/", plans.router)
