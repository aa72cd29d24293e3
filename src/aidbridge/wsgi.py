"""WSGI entry point for production servers (gunicorn, ``aidbridge serve``).

The garbage collector is prepared for serving here, after the application is loaded
and before the first request (under gunicorn, before the workers are forked): see
``aidbridge.core.collector``.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")
application = get_wsgi_application()

from aidbridge.core.collector import prepare_for_serving  # noqa: E402 - needs the apps loaded

prepare_for_serving()
