"""Settings of the gunicorn `make bench` starts: the project's, with the bare view's URLs."""

from config.settings.local import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.web"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# One client asking as fast as it is answered passes the API's anonymous rate
# (120 a minute) and the pages' (300, which the bare view is under) within
# seconds, and a 429 would end the part. The throttles still count every
# request, on both sides; at these rates they never refuse one.
FW_PAGE_THROTTLE = "1000000/minute"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"}}  # noqa: F405
