from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "aidbridge.requests"
    label = "requests"

    def ready(self) -> None:
        # Who sees the audit entries about this app's rows (audit imports no app).
        from aidbridge.audit import visibility
        from aidbridge.notifications import selectors as notification_selectors
        from aidbridge.requests import notices, selectors
        from aidbridge.requests.models import RequestForAssistance, RequestLine

        visibility.register(RequestForAssistance, selectors.rfas_visible_to)
        visibility.register(RequestLine, selectors.lines_visible_to)
        visibility.register_extra(selectors.removed_lines_visibility, about=RequestLine)
        # Notifications about a request the centre may not see stay out of its view of
        # everyone's (notifications imports no app above it).
        notification_selectors.register_hidden(notices.hidden_links)
