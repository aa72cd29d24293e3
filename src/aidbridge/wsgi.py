"""WSGI entry point for production servers (gunicorn, ``aidbridge serve``).

What Django otherwise loads on a process's first request is loaded here, and then the
garbage collector is prepared for serving, after the application is loaded and before
the first request (under gunicorn, before the workers are forked): see
``aidbridge.core.collector``.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - needs the settings configured
from django.urls import get_resolver  # noqa: E402
from django.utils import translation  # noqa: E402

from aidbridge.core.collector import prepare_for_serving  # noqa: E402 - needs the apps loaded

# The URL map (it imports every page and builds the API's schemas: ~1.8 s of CPU) and
# the translation catalogues, which Django loads on a process's first request: gunicorn's
# master imports this module once and forks every worker from it (preload_app), so a new
# or recycled worker does not spend that on its first request while the others serve
# alone. The picture API's p95 tail at 32 clients comes with recycles (p95 4.2-4.5 s with
# a recycle every 300 requests, 0.5-0.6 s with none, same load:
# bench/results/issue15-load.txt); this is one of a new worker's costs, not all of them.
# Nothing here opens a database connection.
get_resolver().url_patterns  # noqa: B018 - loading it is the point
for code, _name in settings.LANGUAGES:
    with translation.override(code):
        translation.gettext("Dashboard")

prepare_for_serving()
