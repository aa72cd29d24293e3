"""The page shell's URL map (dashboard, sign-in, preferences, inbox), in the pages' one
namespace ``web`` with the pages of the apps (see ``aidbridge/urls.py``)."""

from django.urls import path

from aidbridge.web.views import (
    auth,
    home,
    inbox,
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
]
