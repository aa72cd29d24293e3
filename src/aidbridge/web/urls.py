"""The page shell's URL map (dashboard, sign-in, preferences, inbox), in the pages' one
namespace ``web`` with the pages of the apps (see ``aidbridge/urls.py``)."""

from django.urls import path

from aidbridge.web import lists
from aidbridge.web.views import (
    allocation,
    auth,
    home,
    imports,
    inbox,
    matrix,
    preferences,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("language/", auth.set_language, name="language"),
    path("preferences/", preferences.preferences, name="preferences"),
    path("crises/", home.crisis_list, name="crises"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read-all/", inbox.mark_all_read, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", inbox.mark_read, name="inbox_read"),
    path("crises/<slug:code>/", home.dashboard, name="dashboard"),
    path("crises/<slug:code>/matrix/", matrix.matrix, name="matrix"),
    path("crises/<slug:code>/matrix.csv", matrix.matrix_csv, name="matrix_csv"),
    path("crises/<slug:code>/allocation/", allocation.allocation, name="allocation"),
    path("crises/<slug:code>/import/<slug:kind>/", imports.import_page, name="import"),
    path(
        "crises/<slug:code>/import/<slug:kind>/template.<slug:fmt>",
        imports.import_template,
        name="import_template",
    ),
    path("allocation-runs/<int:pk>/", allocation.allocation_run, name="allocation_run"),
    path(
        "allocation-runs/<int:pk>/offers/", allocation.allocation_offers, name="allocation_offers"
    ),
    path(
        "allocation-runs/<int:pk>/<slug:action>/",
        allocation.allocation_run_move,
        name="allocation_run_move",
    ),
    path("offers/<int:pk>/confirm/", allocation.offer_confirm, name="offer_confirm"),
    path(
        "offers/<int:pk>/decline-proposal/",
        allocation.offer_decline_proposal,
        name="offer_decline_proposal",
    ),
    path("offers/", lists.offer_list, name="offer_list"),
    path("dispatches/", lists.dispatch_list, name="dispatch_list"),
    path("audit/", lists.audit_list, name="audit_list"),
]
