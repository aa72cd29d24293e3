"""Page-wide concerns: the user's chosen language, the Content-Security-Policy header,
and turning the service layer's refusals into pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from aidbridge.accounts.models import Profile
from aidbridge.core import refusals
from aidbridge.core.errors import DomainError

# Everything the pages need is served by the app itself: no inline script, no CDN.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The admin and the API's interactive docs are Django's and Ninja's pages, not ours.
CSP_EXEMPT_PREFIXES = ("/admin/", "/api/")


class UserLanguageMiddleware:
    """A signed-in user sees the language kept on their profile, on every device.

    Runs after AuthenticationMiddleware. Anonymous visitors (the login page) keep what
    LocaleMiddleware chose from the language cookie or the browser's Accept-Language.
    The profile is loaded once here, with its party, and cached on the user so the
    permission checks of the services reuse it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith("/api/"):
            profile = Profile.objects.select_related("party").filter(user_id=user.pk).first()
            if profile is not None:
                user.profile = profile
                if profile.language in dict(settings.LANGUAGES):
                    translation.activate(profile.language)
                    request.LANGUAGE_CODE = profile.language
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = getattr(settings, "AIDBRIDGE_CSP", DEFAULT_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(CSP_EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class DomainErrorPagesMiddleware:
    """A refusal from a service becomes a page, by the one rule of ``core/refusals.py``.

    For every page, whatever app its view lives in; the API (``/api/``) renders its own
    JSON errors through the same module. Views that show a form catch ``ValidationFailed``
    themselves to put it next to the field (``refusals.attach_error``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DomainError) or request.path.startswith("/api/"):
            return None
        return refusals.page_answer(request, exc)
