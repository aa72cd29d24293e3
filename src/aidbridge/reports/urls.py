"""The crisis matrix (nations by items) and its CSV. Their names are in the pages' one
namespace ``web`` (see ``aidbridge/urls.py``)."""

from django.urls import path

from aidbridge.reports import views

urlpatterns = [
    path("crises/<slug:code>/matrix/", views.matrix, name="matrix"),
    path("crises/<slug:code>/matrix.csv", views.matrix_csv, name="matrix_csv"),
]
