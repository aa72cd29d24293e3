"""The import pages and their templates to fill in. Their names are in the pages' one
namespace ``web`` (see ``aidbridge/urls.py``)."""

from django.urls import path

from aidbridge.interop import views

urlpatterns = [
    path("crises/<slug:code>/import/<slug:kind>/", views.import_page, name="import"),
    path(
        "crises/<slug:code>/import/<slug:kind>/template.<slug:fmt>",
        views.import_template,
        name="import_template",
    ),
]
