"""The REST API root, mounted at /api/v1/."""

from ninja import NinjaAPI

api = NinjaAPI(title="aidbridge", version="1", urls_namespace="api-v1")
