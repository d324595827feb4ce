"""Settings shared by every environment.

Every value comes from the environment with a development default, so that
`make run` works on a fresh machine with nothing set. Production
(config.settings.production) demands its secrets instead.
"""

from datetime import timedelta
from pathlib import Path

import environ


BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("FW_VAR_DIR", default=str(BASE_DIR / "var")))

# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
# local.py and test.py fall back to a key generated once into var/;
# production.py demands this variable and never writes a key file.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
# Old keys stay valid for signed links (unsubscribe, confirmation) during a rotation.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The public address used in links of emails and calendar UIDs.
SITE_URL = env.str("FW_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "core",
    "timeline",
    "watch",
    "desk",
    "reading",
    "follow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # NUL bytes and oversized bodies refused, a database refusing writes a 503 (core/middleware.py).
    "core.middleware.InputGuardMiddleware",
    # 429 with Retry-After for the pages and forms (the API has DRF's throttles).
    "core.middleware.PageThrottleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The largest request body taken (forms and JSON alike; file uploads aside):
# a 1 MB "summary" is refused with a 400 rather than stored and then rendered
# into every page, feed and email (core/middleware.py).
# Requests per client address to the pages and feeds, and form posts (subscribe,
# unsubscribe, manage), outside the API: "<number>/<second|minute|hour|day>".
FW_PAGE_THROTTLE = env.str("FW_PAGE_THROTTLE", default="300/minute")
FW_FORM_THROTTLE = env.str("FW_FORM_THROTTLE", default="20/minute")
FW_MAX_REQUEST_BODY_BYTES = env.int("FW_MAX_REQUEST_BODY_BYTES", default=256 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FW_MAX_REQUEST_BODY_BYTES

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {{ text|isolate }}: <bdi> around typed text holding a bidi override (core/bidi.py).
            "builtins": ["core.templatetags.bidi"],
        },
    },
]

# Databases -------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
# With nothing set: one SQLite file shared by web, worker and beat. WAL lets
# readers run beside the writer; IMMEDIATE transactions take the write lock at
# BEGIN, so two writers queue on the busy timeout instead of failing with
# "database is locked" when one upgrades a read lock mid-transaction.
SQLITE_PATH = VAR_DIR / "forecast-watch.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
# Worker processes keep their connection this many seconds (config/celery_app.py)
# when DJANGO_CONN_MAX_AGE leaves it at 0; 0 here turns that off. Celery's
# Django fixup would otherwise close it around every task, whatever
# CONN_MAX_AGE says, unless told how many tasks may reuse it.
WORKER_CONN_MAX_AGE = env.int("FW_WORKER_CONN_MAX_AGE", default=60)
CELERY_DB_REUSE_MAX = 100_000 if WORKER_CONN_MAX_AGE else None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: WhiteNoise serves them from every process, no web server needed.
# https://whitenoise.readthedocs.io/en/stable/django.html
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cache: shared by every process in production (Redis), local memory otherwise.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Email: the console in development; SMTP from EMAIL_URL in production.
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
_email = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Forecast Watch <alerts@localhost>")
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Celery ----------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# With nothing set, kombu's filesystem transport: web, worker and beat share one
# folder for both directions, since they all read the same configuration.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Exchange bindings; kombu's default is "control" in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # How often an idle (or busy: prefetch reached) worker looks in the
        # folder again. kombu's 1 s default caps a worker at about two tasks a
        # second, too slow for a fan-out of a few hundred deliveries.
        "polling_interval": env.float("FW_BROKER_POLL_SECONDS", default=0.1),
    }
else:
    # Nothing is ever scheduled for a future date (see docs/architecture.md), so
    # the visibility timeout only has to outlast the longest task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# At least once: a task is acknowledged after it ran, a worker that dies
# mid-task gives its message back, and each worker takes one message at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_DEFAULT_QUEUE = "sweeps"
CELERY_TASK_ROUTES = {"watch.tasks.deliver*": {"queue": "delivery"}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Sweeps run every minute; see config/celery_app.py for the schedule.
SWEEP_INTERVAL_SECONDS = env.int("FW_SWEEP_INTERVAL_SECONDS", default=60)
# A sweep drains batch after batch while they come back full, for at most this
# long, so that one tick ends before the next begins (core/drain.py).
SWEEP_BUDGET_SECONDS = env.int("FW_SWEEP_BUDGET_SECONDS", default=45)
# Rows the overdue sweep handles per batch (watch has WATCH_SWEEP_LIMIT).
TIMELINE_SWEEP_LIMIT = env.int("FW_TIMELINE_SWEEP_LIMIT", default=500)

# Forecast Watch ----------------------------------------------------------------
# How long an open expectation may stay overdue before the system calls it
# missed, when neither it nor its storylines say otherwise.
FW_DEFAULT_GRACE_PERIOD = timedelta(days=env.int("FW_DEFAULT_GRACE_DAYS", default=7))
# Reminders for day-or-coarser windows fire at this local hour in the item's zone.
FW_REMINDER_HOUR = env.int("FW_REMINDER_HOUR", default=9)
# Calendar feeds (docs/feeds.md): how long a cancelled or retracted item stays
# in a feed as CANCELLED, so every subscribed calendar sees it go, and how
# often calendars are asked to refresh (REFRESH-INTERVAL, X-PUBLISHED-TTL).
FW_FEED_KEEP_CANCELLED = timedelta(days=env.int("FW_FEED_KEEP_CANCELLED_DAYS", default=30))
FW_FEED_REFRESH = timedelta(minutes=env.int("FW_FEED_REFRESH_MINUTES", default=60))
# Importing calendars: the largest file or download read, how long a download
# may take (seconds, per connect and per read), the networks a URL may reach
# (unset: public addresses only, through the webhooks' address guard), and
# how far ahead a recurring event is expanded into milestones.
FW_ICS_IMPORT_MAX_BYTES = env.int("FW_ICS_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
FW_ICS_IMPORT_TIMEOUT = env.float("FW_ICS_IMPORT_TIMEOUT", default=10.0)
FW_ICS_IMPORT_ALLOWED_NETWORKS = env.list("FW_ICS_IMPORT_ALLOWED_NETWORKS", default=None)
FW_ICS_IMPORT_HORIZON = timedelta(days=env.int("FW_ICS_IMPORT_HORIZON_DAYS", default=366))

# Watch (alerts) ----------------------------------------------------------------
# See docs/alerts.md. The sweeps run every minute; each one reads only what is
# due through a partial index, so a short interval costs little.
WATCH_BEAT_SCHEDULE = {
    "watch-process-changes": {"task": "watch.tasks.process_changes", "schedule": SWEEP_INTERVAL_SECONDS},
    "watch-fire-reminders": {"task": "watch.tasks.fire_reminders", "schedule": SWEEP_INTERVAL_SECONDS},
    "watch-fan-out": {"task": "watch.tasks.fan_out", "schedule": SWEEP_INTERVAL_SECONDS},
    "watch-send-digests": {"task": "watch.tasks.send_digests", "schedule": SWEEP_INTERVAL_SECONDS},
    "watch-dispatch-deliveries": {"task": "watch.tasks.dispatch_deliveries", "schedule": SWEEP_INTERVAL_SECONDS},
    "watch-reclaim-leases": {"task": "watch.tasks.reclaim_leases", "schedule": SWEEP_INTERVAL_SECONDS},
    "watch-send-confirmations": {"task": "watch.tasks.send_confirmations", "schedule": SWEEP_INTERVAL_SECONDS},
}
# Networks webhooks may reach, as CIDRs (e.g. "127.0.0.1/32" in tests). Unset
# means public addresses only: no loopback, private, link-local (cloud
# metadata) or other internal ranges. See watch/netguard.py.
WEBHOOK_ALLOWED_NETWORKS = env.list("FW_WEBHOOK_ALLOWED_NETWORKS", default=None)
# Seconds a webhook attempt waits to connect, and on each read of the answer.
# Short, since a worker waits this long per delivery; a slow receiver is
# retried later. Their sum stays well under WATCH_DELIVERY_LEASE_SECONDS.
WEBHOOK_CONNECT_TIMEOUT = env.float("FW_WEBHOOK_CONNECT_TIMEOUT", default=3.0)
WEBHOOK_READ_TIMEOUT = env.float("FW_WEBHOOK_READ_TIMEOUT", default=10.0)
# A PEM file of the certificate authorities https receivers may present (an
# internal CA); empty means certifi's public bundle.
WEBHOOK_CA_BUNDLE = env.str("FW_WEBHOOK_CA_BUNDLE", default="")
# How many rows one sweep handles before it returns (the next tick goes on).
WATCH_SWEEP_LIMIT = env.int("FW_WATCH_SWEEP_LIMIT", default=500)
# Deliveries claimed per dispatch, and how long a claim is held: longer than
# the slowest send (EMAIL_TIMEOUT, the webhook timeout) plus the wait in the
# delivery queue. An expired lease is reclaimed and sent again, with the same id.
WATCH_DELIVERY_BATCH = env.int("FW_WATCH_DELIVERY_BATCH", default=100)
# Deliveries one `deliver_batch` message carries: sent one after the other by
# one worker process on its kept connections, the bookkeeping around them a
# few queries for the whole batch. A batch stops before its lease would end
# (the channels' timeouts before) and hands the rest back.
WATCH_DELIVERY_SEND_BATCH = env.int("FW_WATCH_DELIVERY_SEND_BATCH", default=50)
# Fan-out (watch.services.fanout): notifications written per batch (each batch
# one transaction, well under a second), pieces of news one sweep claims, and
# batches written inline by the change or reminder that caused the news (the
# fan-out sweep writes the rest).
WATCH_FANOUT_BATCH = env.int("FW_WATCH_FANOUT_BATCH", default=10000)
WATCH_FANOUT_CLAIM = env.int("FW_WATCH_FANOUT_CLAIM", default=200)
WATCH_FANOUT_INLINE_BATCHES = env.int("FW_WATCH_FANOUT_INLINE_BATCHES", default=1)
WATCH_DELIVERY_LEASE_SECONDS = env.int("FW_WATCH_DELIVERY_LEASE_SECONDS", default=300)
# At most this many deliveries are claimed (sending, lease running) at once: what
# the workers can surely send within one lease. Dispatch claims up to it and
# queues itself behind the sends it handed out to claim the next ones.
WATCH_DELIVERY_IN_FLIGHT = env.int("FW_WATCH_DELIVERY_IN_FLIGHT", default=2000)
# Retries: the n-th failure waits base * factor**(n-1) seconds (capped), of
# which a random half ("equal jitter", so retries of many deliveries that
# failed together spread out); after max attempts the delivery is dead.
WATCH_RETRY_BASE_SECONDS = env.int("FW_WATCH_RETRY_BASE_SECONDS", default=60)
WATCH_RETRY_FACTOR = env.float("FW_WATCH_RETRY_FACTOR", default=4.0)
WATCH_RETRY_MAX_DELAY_SECONDS = env.int("FW_WATCH_RETRY_MAX_DELAY_SECONDS", default=6 * 3600)
WATCH_MAX_ATTEMPTS = env.int("FW_WATCH_MAX_ATTEMPTS", default=6)
# Reminder lead times of a new subscription that names none.
WATCH_DEFAULT_LEAD_TIMES = env.list("FW_WATCH_DEFAULT_LEAD_TIMES", default=["7d", "1d"])
# How long a rotated-out webhook secret keeps signing beside the new one.
WATCH_SECRET_ROTATION_OVERLAP = timedelta(hours=env.int("FW_WATCH_SECRET_ROTATION_OVERLAP_HOURS", default=72))
# How long a double opt-in link stays valid.
WATCH_CONFIRM_MAX_AGE_SECONDS = env.int("FW_WATCH_CONFIRM_MAX_AGE_SECONDS", default=7 * 86400)
# How long every other signed link (unsubscribe, manage) stays valid (watch/signing.py).
WATCH_LINK_MAX_AGE_SECONDS = env.int("FW_WATCH_LINK_MAX_AGE_DAYS", default=366) * 86400
# Self-serve subscribing (docs/alerts.md): another confirmation mail for the
# same address and target at most this often; how long an unsubscribe can be
# undone from the manage page; how many subscribe requests one address, and
# one client IP, may make ("<number>/<second|minute|hour|day>", counted in the
# default cache, as the API's throttles are; the client's IP is read as the
# API reads it, FW_API_NUM_PROXIES included).
WATCH_CONFIRM_RESEND_SECONDS = env.int("FW_WATCH_CONFIRM_RESEND_SECONDS", default=3600)
WATCH_UNSUBSCRIBE_UNDO_SECONDS = env.int("FW_WATCH_UNSUBSCRIBE_UNDO_SECONDS", default=7 * 86400)
WATCH_SUBSCRIBE_RATE_PER_ADDRESS = env.str("FW_WATCH_SUBSCRIBE_RATE_PER_ADDRESS", default="5/hour")
WATCH_SUBSCRIBE_RATE_PER_IP = env.str("FW_WATCH_SUBSCRIBE_RATE_PER_IP", default="30/hour")

# The desk (/desk/) shows its agenda by day in this zone; empty: TIME_ZONE.
FW_DESK_TZ = env.str("FW_DESK_TZ", default="")
# The page of an item, as linked from alerts; {public_id} is filled in.
WATCH_ITEM_URL = env.str("FW_WATCH_ITEM_URL", default=SITE_URL + "/items/{public_id}/")

# REST framework ----------------------------------------------------------------
# https://www.django-rest-framework.org/api-guide/settings/
# The API's shared pieces (error body, ETags, Idempotency-Key, keyset
# pagination, roles, the schema's derived errors) live in core/api;
# docs/api.md describes them.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call is told `WWW-Authenticate: Token` (401), not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Views name their roles (core.api.permissions); anything that forgets
    # to still requires a login.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # drf-spectacular's, deriving each operation's errors and headers from its view.
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # https://www.django-rest-framework.org/api-guide/throttling/
    # Counted in the default cache: Redis in production (CACHE_URL), so every
    # web process shares one count. Rates are "<number>/<second|minute|hour|day>";
    # "anon" counts callers without credentials per address, "user" accounts.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("FW_API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("FW_API_THROTTLE_USER", default="1200/minute"),
    },
    # Anonymous callers are counted per address: behind N reverse proxies set
    # FW_API_NUM_PROXIES=N so DRF takes the client's from X-Forwarded-For.
    "NUM_PROXIES": env.int("FW_API_NUM_PROXIES", default=None),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# How long a request waits for another one holding the same Idempotency-Key
# before answering 409 request_in_progress (seconds).
FW_API_IDEMPOTENCY_WAIT = env.int("FW_API_IDEMPOTENCY_WAIT", default=10)
# How long a stored Idempotency-Key answers a retry; a daily task forgets older ones.
FW_API_IDEMPOTENCY_KEEP = timedelta(hours=env.int("FW_API_IDEMPOTENCY_KEEP_HOURS", default=48))

# https://drf-spectacular.readthedocs.io/en/latest/settings.html
# The docs pages use drf-spectacular-sidecar's copies of Swagger UI and Redoc,
# served as our own static files: no CDN, so they work offline.
INSTALLED_APPS += ["drf_spectacular_sidecar"]
SPECTACULAR_SETTINGS = {
    "TITLE": "Forecast Watch API",
    "DESCRIPTION": (
        "A sourced record of dated events, milestones and expectations, and alerts about them. "
        "Reads of published items are public; writes need an editor's token (`Authorization: Token <key>`). "
        "Every error answers `{\"error\": {\"code\", \"message\", \"fields\", \"current\"}}`. "
        "See docs/api.md for a walk-through."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Separate request and response components: read-only fields (id,
    # revision, etag) are not asked of clients, and validators see exact shapes.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ItemStatusEnum": "timeline.models.Item.Status",
        "EditorialStateEnum": "timeline.models.Item.EditorialState",
        "PrecisionEnum": "timeline.when.PRECISIONS",
        "EventStatusEnum": "timeline.api.serializers.items.EVENT_STATUSES",
        "MilestoneStatusEnum": "timeline.api.serializers.items.MILESTONE_STATUSES",
        "ExpectationStatusEnum": "timeline.api.serializers.items.EXPECTATION_STATUSES",
        "VerdictStatusEnum": "timeline.api.serializers.items.VERDICT_STATUSES",
        "ErrorCodeEnum": "core.api.errors.ErrorCode.ALL",
        "ItemKindEnum": "timeline.models.Item.Kind",
        "ActorKindEnum": "timeline.models.Actor.Kind",
        "NewEditorialStateEnum": "timeline.api.serializers.items.NEW_EDITORIAL_STATES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
