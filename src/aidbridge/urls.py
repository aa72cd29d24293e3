"""URL map: the REST API under /api/v1/, the admin, and the pages."""

from django.contrib import admin
from django.urls import include, path

from aidbridge.allocations import urls as allocations_urls
from aidbridge.api import errors
from aidbridge.api.root import api
from aidbridge.audit import urls as audit_urls
from aidbridge.interop import urls as interop_urls
from aidbridge.logistics import urls as logistics_urls
from aidbridge.offers import urls as offers_urls
from aidbridge.reports import urls as reports_urls
from aidbridge.requests import urls as requests_urls
from aidbridge.web import urls as web_urls

# The pages of requests, offers, allocation, imports and lists live beside their apps, but
# keep the one namespace ``web`` they had when ``web`` held them all, so a link
# (``{% url 'web:rfa_detail' %}``) does not depend on which app holds the page. Order
# matters where two paths overlap: "rfas/<pk>/offer/" (offers) before
# "rfas/<pk>/<action>/" (requests).
pages = [
    *web_urls.urlpatterns,
    *reports_urls.urlpatterns,
    *allocations_urls.urlpatterns,
    *interop_urls.urlpatterns,
    *offers_urls.urlpatterns,
    *requests_urls.urlpatterns,
    *logistics_urls.urlpatterns,
    *audit_urls.urlpatterns,
]

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
    path("", include((pages, "web"))),
]

# Under /api/ every error is JSON in the API's shape, even one no API view handled (an
# unknown path, a failure in a middleware); pages keep Django's.
handler400 = errors.handler(400)
handler403 = errors.handler(403)
handler404 = errors.handler(404)
handler500 = errors.handler(500)
