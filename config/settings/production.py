"""Production: secrets come from the environment or the process refuses to start."""

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: ImproperlyConfigured when unset
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
# TLS is terminated in front of the service (docs/operations.md). Turn these on
# once every host name is served over HTTPS: HSTS cannot be taken back quickly.
# The redirect is usually the proxy's job; with it on here, an internal health
# check must send X-Forwarded-Proto: https.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
# Asking browsers to preload HSTS is a commitment to their vendors: the operator's call.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Cookies no script needs to read, and no page of ours in another site's frame.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
