"""Who may do what, in the brief's roles (core.roles).

DRF answers 401 to an anonymous caller refused by any of these (so a client
knows to log in) and 403 to an authenticated one.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import user_is_admin, user_is_editor, user_is_signed_in


class IsEditor(BasePermission):
    message = "Only editors may change the record."

    def has_permission(self, request, view) -> bool:
        return user_is_editor(request.user)


class IsAdmin(BasePermission):
    message = "Only administrators may do this."

    def has_permission(self, request, view) -> bool:
        return user_is_admin(request.user)


class IsSignedIn(BasePermission):
    """Any active account: a subscriber managing its own things."""

    message = "Sign in to do this."

    def has_permission(self, request, view) -> bool:
        return user_is_signed_in(request.user)


class ReadOnlyOrEditor(BasePermission):
    """Public reads, editor writes."""

    message = IsEditor.message

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or user_is_editor(request.user)


class Public(BasePermission):
    """Anyone, for reads and for writes that change nothing (the When preview)."""

    def has_permission(self, request, view) -> bool:
        return True
