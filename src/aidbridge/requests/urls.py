"""The request pages. Their names are in the pages' one namespace ``web`` (see
``aidbridge/urls.py``), so no link changed when they moved here from ``web``."""

from django.urls import path

from aidbridge.requests.views import rfa_form, rfas

urlpatterns = [
    path("rfas/", rfas.rfa_list, name="rfa_list"),
    path("rfas/new/", rfa_form.rfa_form, name="rfa_new"),
    path("rfas/<int:pk>/", rfas.rfa_detail, name="rfa_detail"),
    path("rfas/<int:pk>/edit/", rfa_form.rfa_form, name="rfa_edit"),
    path("rfas/<int:pk>/autosave/", rfa_form.rfa_autosave, name="rfa_autosave"),
    path("rfas/<int:pk>/<slug:action>/", rfas.rfa_action, name="rfa_action"),
]
