"""The REST API root, mounted at /api/v1/.

Each app contributes a router from its ``api.py``; they are mounted here so the whole
surface is visible in one place. OpenAPI is served at /api/v1/openapi.json and the
interactive docs at /api/v1/docs, from static files shipped with Ninja (no CDN).
"""

from aidbridge.api import errors
from aidbridge.api.auth import api_auth
from aidbridge.api.openapi import DocumentedAPI

api = DocumentedAPI(
    title="aidbridge",
    version="1",
    description="Clearing-house for international disaster assistance.",
    urls_namespace="api-v1",
    auth=api_auth,
)
errors.install(api)

# One line per router (an import path, so each line stands alone and rebases stay trivial).
api.add_router("/", "aidbridge.accounts.api.router")
api.add_router("/", "aidbridge.accounts.api_tokens.router")
api.add_router("/", "aidbridge.catalogue.api.router")
api.add_router("/", "aidbridge.parties.api.router")
api.add_router("/", "aidbridge.crises.api.router")
api.add_router("/", "aidbridge.requests.api.router")
api.add_router("/", "aidbridge.offers.api.router")
api.add_router("/", "aidbridge.logistics.api.router")
api.add_router("/", "aidbridge.airlift.api.router")
api.add_router("/", "aidbridge.sitreps.api.router")
api.add_router("/", "aidbridge.interop.api.router")
api.add_router("/", "aidbridge.edxl.api_import.router")
api.add_router("/", "aidbridge.notifications.api.router")
api.add_router("/", "aidbridge.reports.api.router")
api.add_router("/", "aidbridge.allocations.api.router")
api.add_router("/", "aidbridge.intake.api.router")
api.add_router("/", "aidbridge.edxl.api.router")
api.add_router("/", "aidbridge.hospitals.api.router")
api.add_router("/", "aidbridge.hospitals.api_transfers.router")
api.add_router("/", "aidbridge.webhooks.api.router")
api.add_router("/", "aidbridge.hospitals.api_matching.router")
