"""Settings of the gunicorn `make bench` starts: the project's, with the bare view's URLs."""

from config.settings.local import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.web"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
