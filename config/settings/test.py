"""Test settings: a fast hasher and in-memory mail; the database from DATABASE_URL."""

from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests never reach the broker unless they start a worker of their own.
CELERY_TASK_ALWAYS_EAGER = False
