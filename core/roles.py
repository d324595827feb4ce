"""The brief's roles, as checks on an account.

- anonymous: reads of public things;
- subscriber: any active account;
- editor: staff allowed to change items (timeline's model permission);
- admin: a superuser; everything.

The permission is named by its string, so the platform does not import the
record to check it.
"""

from __future__ import annotations


def user_is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def user_is_editor(user) -> bool:
    """Editors are staff with the permission to change items; admins are superusers."""
    return (user_is_signed_in(user) and user.is_staff
            and (user.is_superuser or user.has_perm("timeline.change_item")))


def user_is_admin(user) -> bool:
    return user_is_signed_in(user) and user.is_superuser
