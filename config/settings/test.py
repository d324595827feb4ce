"""Test settings: a fast hasher and in-memory mail; the database from DATABASE_URL."""

from .base import *  # noqa: F401,F403

SECRET_KEY = SECRET_KEY or "test-only-key-not-secret"  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests never reach a broker unless they point at one of their own (the
# integration tests give a real worker Redis on a db number of its own).
# Tasks sent on commit go to memory and are dropped with the process.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}

# The API's throttles stay on (so their code runs) but far above anything a
# test sends; tests/api/test_throttling.py proves 429 with a tight override.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
FW_PAGE_THROTTLE = FW_FORM_THROTTLE = "100000/minute"  # the same for the pages (core/middleware.py)
# Pages render {% static %} without a collectstatic manifest (the API docs
# page loads Swagger UI from drf-spectacular-sidecar's static files).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
