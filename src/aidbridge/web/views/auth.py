"""Signing in and out, and choosing the interface language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from aidbridge.accounts import services as account_services


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign someone out."""


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Keep the choice on the user's profile (every device), else in a cookie.

    Signed-in users go through ``accounts.services.set_language``; the cookie also
    keeps the login page in that language after signing out.
    """
    language = request.POST.get("language", "")
    back = request.POST.get("next", "") or "/"
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated and hasattr(request.user, "profile"):
        account_services.set_language(request.user, language)
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        httponly=True,
    )
    return response
