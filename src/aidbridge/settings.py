"""Django settings for aidbridge.

Everything a deployment changes comes from the environment, so the same code runs the
demo on a laptop (SQLite, no set-up) and a centre's server (PostgreSQL via
``DATABASE_URL``). See README.md for the list of variables.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
_repo_root = PACKAGE_DIR.parents[1]
PROJECT_DIR = _repo_root if (_repo_root / "pyproject.toml").exists() else Path.cwd()
DATA_DIR = Path(os.environ.get("AIDBRIDGE_DATA_DIR", PROJECT_DIR / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use AIDBRIDGE_SECRET_KEY; otherwise keep a generated key in the data directory.

    A generated key survives restarts (sessions stay valid) without anyone having to
    invent one for the demo; production sets the variable.
    """
    if key := os.environ.get("AIDBRIDGE_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("AIDBRIDGE_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("AIDBRIDGE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("AIDBRIDGE_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "axes",
    "aidbridge.core",
    "aidbridge.audit",
    "aidbridge.parties",
    "aidbridge.accounts",
    "aidbridge.catalogue",
    "aidbridge.crises",
    "aidbridge.requests",
    "aidbridge.offers",
    "aidbridge.logistics",
    "aidbridge.ledger",
    "aidbridge.airlift",
    "aidbridge.reports",
    "aidbridge.notifications",
    "aidbridge.api",
    "aidbridge.ops",
    "aidbridge.demo",
    "aidbridge.web",
    "aidbridge.interop",
    "aidbridge.sitreps",
    "aidbridge.allocations",
    "aidbridge.runs",
    "aidbridge.intake",
    "aidbridge.outbox",
    "aidbridge.webhooks",
    "aidbridge.federation",
    "aidbridge.edxl",
    "aidbridge.hospitals",
]

MIDDLEWARE = [
    "aidbridge.api.requestid.RequestIdMiddleware",
    "aidbridge.api.errors.MethodNotAllowedMiddleware",
    "aidbridge.core.proxy.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aidbridge.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aidbridge.web.middleware.UserLanguageMiddleware",
    "aidbridge.api.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aidbridge.web.middleware.ContentSecurityPolicyMiddleware",
    "aidbridge.web.middleware.DomainErrorPagesMiddleware",
    # Last, as Axes asks: it turns a refused sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aidbridge.urls"
WSGI_APPLICATION = "aidbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aidbridge.notifications.context_processors.inbox",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'aidbridge.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a background task writes; a busy timeout
    # turns brief lock contention into a wait instead of an error.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Several engineers (and CI) may run the suite on one server at once.
    suffix = os.environ.get("TEST_DB_SUFFIX", "")
    DATABASES["default"]["TEST"] = {"NAME": f"test_aidbridge{'_' + suffix if suffix else ''}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in throttling (django-axes, ``accounts/throttle.py``): after
# AIDBRIDGE_LOGIN_FAILURE_LIMIT failed sign-ins for one user name from one address, that
# pair is refused for AIDBRIDGE_LOGIN_COOLOFF_MINUTES after the last counted failure, on
# /login/, /admin/login/ and POST /api/v1/tokens alike. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "aidbridge.accounts.throttle.NetworkSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AIDBRIDGE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AIDBRIDGE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Refused attempts during a lockout are not counted: the cool-off has a known end.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "aidbridge.accounts.throttle.lockout_response"
# No start-up banner on every command; failures and lockouts are still logged.
AXES_VERBOSE = False
# The address is the connection's own: a client-sent X-Forwarded-For would let anyone
# pick a fresh address per attempt. Behind a proxy that overwrites a header with the
# client's address (nginx: ``proxy_set_header X-Real-IP $remote_addr``), name it in
# AIDBRIDGE_CLIENT_IP_HEADER (``HTTP_X_REAL_IP``), or every client shares the proxy's.
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(
    h for h in (os.environ.get("AIDBRIDGE_CLIENT_IP_HEADER"), "REMOTE_ADDR") if h
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
# English dates day-first with a 24-hour clock (formats/en/formats.py); French keeps
# Django's own.
FORMAT_MODULE_PATH = ["aidbridge.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [
    p for p in [PACKAGE_DIR / "static"] if p.exists()
]
# Front-end packages come from the npm registry (package.json, `npm ci` in the set-up
# scripts) and are served by the app itself: no CDN, works air-gapped.
_HTMX_DIST = PROJECT_DIR / "node_modules" / "htmx.org" / "dist"
if _HTMX_DIST.exists():
    STATICFILES_DIRS.append(("vendor/htmx", _HTMX_DIST))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "aidbridge.core.staticfiles.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "web:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _env_bool("AIDBRIDGE_HTTPS", False):
    # Behind the TLS proxy every request reaches Django as plain HTTP: the proxy says
    # the client's scheme in X-Forwarded-Proto (here) or RFC 7239 Forwarded
    # (``core.proxy``). Without this the redirect loops and
    # HSTS, sent only on secure requests, never goes out. The proxy must overwrite both
    # headers, or a client could claim https over plain HTTP.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000

EMAIL_BACKEND = os.environ.get(
    "AIDBRIDGE_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("AIDBRIDGE_FROM_EMAIL", "aidbridge@localhost")

# Background tasks (``core/taskqueue.py``): the database backend by default; RQ on
# Redis with AIDBRIDGE_TASKS_BACKEND=django_tasks_rq.RQBackend (README, "Background
# tasks": when a broker is worth it), its Redis at AIDBRIDGE_REDIS_URL.
TASKS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": os.environ.get("AIDBRIDGE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
AIDBRIDGE_REDIS_URL = os.environ.get("AIDBRIDGE_REDIS_URL", "redis://127.0.0.1:6379/0")
# One queue, like the database backend's; a job may run for as long as a planning run.
RQ_QUEUES = {"default": {"URL": AIDBRIDGE_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    TASKS["default"]["QUEUES"] = ["default"]
    INSTALLED_APPS.append("django_rq")  # its ``rqworker`` command runs the tasks

# Planning runs (aidbridge.runs): a worker writes the run's heartbeat at most every
# AIDBRIDGE_RUN_HEARTBEAT_S while it plans; the sweep fails a running run whose heartbeat
# is older than AIDBRIDGE_RUN_TIMEOUT_S (its worker died). The timeout must be well
# above the heartbeat interval and the longest step a planner takes between two reports.
AIDBRIDGE_RUN_HEARTBEAT_S = float(os.environ.get("AIDBRIDGE_RUN_HEARTBEAT_S", "10"))
AIDBRIDGE_RUN_TIMEOUT_S = float(os.environ.get("AIDBRIDGE_RUN_TIMEOUT_S", "300"))
# Where the site is reached, for the links in e-mails (read outside the site).
AIDBRIDGE_BASE_URL = os.environ.get("AIDBRIDGE_BASE_URL", "http://127.0.0.1:8000")
# A request body other than an uploaded file (JSON, a form) is refused above this with a
# 413, in the API's error shape under /api/; uploads have their own limit
# (AIDBRIDGE_IMPORT_MAX_BYTES, 20 MB). No API body needs more than a few hundred KB.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("AIDBRIDGE_MAX_BODY_BYTES", str(2_000_000)))

# Idempotency-Key (``api/idempotency.py``): a key answers retries for this long after
# it was reserved; a reservation whose request never finished is taken over after the
# lease (longer than any request may run).
IDEMPOTENCY_WINDOW = timedelta(hours=int(os.environ.get("AIDBRIDGE_IDEMPOTENCY_HOURS", "24")))
IDEMPOTENCY_LEASE = timedelta(
    seconds=int(os.environ.get("AIDBRIDGE_IDEMPOTENCY_LEASE_SECONDS", "120"))
)

# A hospital's bed report older than this is stale: flagged wherever availability is
# shown, refused on import and when beds are offered from it (aidbridge.hospitals).
AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS = float(
    os.environ.get("AIDBRIDGE_BED_REPORT_MAX_AGE_HOURS", "48")
)
# The outbox (``outbox/delivery.py``): each HTTP attempt's timeout; a worker's claim
# lasts the lease (it must cover a batch of attempts at the timeout); failed attempts
# wait base * 2**(n-1) seconds (capped, with jitter); past the attempts or the age a
# message is "failing" (shown, still retried, never dropped). The periodic task looks
# for due retries at least every POLL seconds.
AIDBRIDGE_OUTBOX_TIMEOUT_S = float(os.environ.get("AIDBRIDGE_OUTBOX_TIMEOUT_S", "5"))
AIDBRIDGE_OUTBOX_BATCH = int(os.environ.get("AIDBRIDGE_OUTBOX_BATCH", "10"))
# How many messages of its batch one worker sends at once (threads, one database
# connection each; messages of one ordering key always one after another). 1: one at a
# time.
AIDBRIDGE_OUTBOX_CONCURRENCY = max(1, int(os.environ.get("AIDBRIDGE_OUTBOX_CONCURRENCY", "4")))
AIDBRIDGE_OUTBOX_LEASE_S = float(os.environ.get("AIDBRIDGE_OUTBOX_LEASE_S", "120"))
AIDBRIDGE_OUTBOX_BACKOFF_S = float(os.environ.get("AIDBRIDGE_OUTBOX_BACKOFF_S", "2"))
AIDBRIDGE_OUTBOX_BACKOFF_MAX_S = float(os.environ.get("AIDBRIDGE_OUTBOX_BACKOFF_MAX_S", "3600"))
AIDBRIDGE_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("AIDBRIDGE_OUTBOX_MAX_ATTEMPTS", "12"))
AIDBRIDGE_OUTBOX_MAX_AGE_H = float(os.environ.get("AIDBRIDGE_OUTBOX_MAX_AGE_H", "24"))
AIDBRIDGE_OUTBOX_POLL_S = float(os.environ.get("AIDBRIDGE_OUTBOX_POLL_S", "30"))
# Delivered messages and their delivery log are purged this many days after delivery
# (``aidbridge outbox purge``, the purge task); pending and failing ones never are.
AIDBRIDGE_OUTBOX_KEEP_DAYS = float(os.environ.get("AIDBRIDGE_OUTBOX_KEEP_DAYS", "30"))
# Deliveries reach public addresses only (``outbox/egress.py``); these networks (CIDR,
# comma-separated, e.g. "10.20.0.0/16,fd00:a1d::/48") are allowed besides, for partners
# on the deployment's own private network. Empty by default: loopback, private,
# link-local and the like are refused, at registration and at each delivery.
AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = [
    n.strip()
    for n in os.environ.get("AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS", "").split(",")
    if n.strip()
]
# Webhooks: after a secret is rotated, the old one still signs for this long by default.
AIDBRIDGE_WEBHOOK_GRACE_HOURS = int(os.environ.get("AIDBRIDGE_WEBHOOK_GRACE_HOURS", "24"))

# Federation: how far a partner's signed timestamp may be from our clock (both ways).
# 10 minutes, so that two centres whose clocks are 5 minutes apart still talk; a replay
# inside the window is refused by its message id.
AIDBRIDGE_FEDERATION_WINDOW_S = float(os.environ.get("AIDBRIDGE_FEDERATION_WINDOW_S", "600"))
# For tests only: shift the timestamps we sign (a sender whose clock is off).
AIDBRIDGE_FEDERATION_CLOCK_SKEW_S = float(os.environ.get("AIDBRIDGE_FEDERATION_CLOCK_SKEW_S", "0"))

# The centre prefixes its message numbers with this (sitreps: OPS(AIDB)(2020)0012).
AIDBRIDGE_CENTRE_CODE = os.environ.get("AIDBRIDGE_CENTRE_CODE", "AIDB")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AIDBRIDGE_LOG_LEVEL", "INFO")},
}

# Cache (``api.cached``, the dashboards' drawings in ``web.selectors``): every entry is
# keyed by the state of the data it shows, read from the database on each request, so a
# process-local memory cache is always correct and is the default; AIDBRIDGE_CACHE_URL
# (redis://host:port/db) shares one between gunicorn's processes, which only saves each
# process computing the same answer once (README, "Configuration").
AIDBRIDGE_CACHE_URL = os.environ.get("AIDBRIDGE_CACHE_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": AIDBRIDGE_CACHE_URL}
        if AIDBRIDGE_CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # A crisis's pictures (pages, filters, languages) and drawings: more than
            # Django's 300 entries, still a few MB.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}
if AIDBRIDGE_CACHE_URL and "redis" not in CACHES["default"]["BACKEND"].lower():
    raise ValueError(f"AIDBRIDGE_CACHE_URL must be redis://..., not {AIDBRIDGE_CACHE_URL!r}")
