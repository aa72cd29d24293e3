"""URL map: the REST API under /api/v1/, the admin, and the pages."""

from django.contrib import admin
from django.urls import include, path

from aidbridge.api import errors
from aidbridge.api.root import api

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before the API: signed by partner centres, not a user's token (federation.views).
    path("", include("aidbridge.federation.urls")),
    path("api/v1/", api.urls),
    path("", include("aidbridge.sitreps.urls")),
    path("", include("aidbridge.airlift.urls")),
    path("", include("aidbridge.intake.urls")),
    path("", include("aidbridge.edxl.urls")),
    path("", include("aidbridge.hospitals.urls")),
    path("", include("aidbridge.outbox.urls")),
    path("", include("aidbridge.web.urls")),
]

# Under /api/ every error is JSON in the API's shape, even one no API view handled (an
# unknown path, a failure in a middleware); pages keep Django's.
handler400 = errors.handler(400)
handler403 = errors.handler(403)
handler404 = errors.handler(404)
handler500 = errors.handler(500)
