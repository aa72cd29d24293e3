"""URL map: the REST API under /api/v1/, the admin, and the pages."""

from django.contrib import admin
from django.urls import include, path

from aidbridge.api.root import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("aidbridge.sitreps.urls")),
    path("", include("aidbridge.airlift.urls")),
    path("", include("aidbridge.web.urls")),
]
