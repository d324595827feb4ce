"""Fixtures of the admin tests: clients logged in as an editor and as an admin."""

import pytest
from django.utils import timezone


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def wall_clock():
    """The admin reads the real clock (a request has no `now` to pass), so
    tests of what is due build their windows around the real time."""
    return timezone.now()


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """The admin's pages name static files; the manifest storage of the base
    settings needs `collectstatic` first, which tests do not run."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
