"""Test settings: a fast hasher and in-memory mail; the database from DATABASE_URL."""

from .base import *  # noqa: F401,F403

SECRET_KEY = SECRET_KEY or "test-only-key-not-secret"  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests never reach the broker unless they start a worker of their own.
CELERY_TASK_ALWAYS_EAGER = False

# The API's throttles stay on (so their code runs) but far above anything a
# test sends; tests/api/test_throttling.py proves 429 with a tight override.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
# Pages render {% static %} without a collectstatic manifest (the API docs
# page loads Swagger UI from drf-spectacular-sidecar's static files).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
