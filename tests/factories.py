"""Builders for test data. Users and roles for now; item builders belong here too."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

PASSWORD = "a-test-password-9731"
EDITORS_GROUP = "editors"


def make_user(username, *, password=PASSWORD, **fields):
    fields.setdefault("email", f"{username}@example.org")
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def editors_group():
    """The "editors" group: every timeline permission, and read access to watch."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label="timeline")
            | Q(content_type__app_label="watch", codename__startswith="view_")
        )
    )
    return group


def make_editor(username="editor", **fields):
    user = make_user(username, is_staff=True, **fields)
    user.groups.add(editors_group())
    return user


def make_admin(username="admin", **fields):
    fields.setdefault("email", f"{username}@example.org")
    return get_user_model().objects.create_superuser(username=username, password=PASSWORD, **fields)
