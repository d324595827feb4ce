"""Production settings pass Django's deployment checklist: `manage.py check
--deploy` with the environment a production deployment sets (the Compose
file's, plus the TLS settings docs/operations.md asks for once HTTPS serves
every host name) reports nothing at all, warnings included. And what the
checklist stands for holds: secure cookies, HSTS, no DEBUG, CSRF on forms."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "watch.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://watch.example.org",
    "DJANGO_SECURE_COOKIES": "true",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
    "FW_SITE_URL": "https://watch.example.org",
    "DATABASE_URL": "postgres://forecast_watch@127.0.0.1:1/forecast_watch",  # never connected to
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
}


def production(*args, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FW_", "DATABASE_", "CELERY_"))}
    env.update(PRODUCTION_ENV, **(extra or {}))
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_nothing():
    result = production("manage.py", "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "MIDDLEWARE",
)}))
"""


@pytest.mark.parametrize("debug", ["", "1", "true"])
def test_production_is_secure_whatever_debug_says(debug):
    result = production("-c", PROBE, extra={"DJANGO_DEBUG": debug} if debug else None)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_SSL_REDIRECT"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert "django.middleware.csrf.CsrfViewMiddleware" in values["MIDDLEWARE"]
    assert "core.middleware.InputGuardMiddleware" in values["MIDDLEWARE"]


@pytest.mark.django_db
def test_forms_refuse_a_post_without_its_csrf_token(admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login = client.post("/admin/login/", {"username": "admin", "password": "x"})
    assert login.status_code == 403
    client.force_login(admin_user)
    add = client.post("/admin/timeline/storyline/add/", {"name": "Forged", "description": ""})
    assert add.status_code == 403
    from timeline.models import Storyline

    assert not Storyline.objects.filter(name="Forged").exists()
