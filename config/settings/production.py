"""Production: secrets come from the environment or the process refuses to start."""

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: ImproperlyConfigured when unset
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
