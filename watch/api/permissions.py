"""The roles of watch's API, and what OPTIONS tells whoever asks.

Every route of /api/v1/ answers OPTIONS (DRF's metadata: the name, the
description, and the input a write takes) to anyone, as the timeline's do:
it says no more than the public OpenAPI schema at /api/schema/. The role is
checked on the request that reads or writes.
"""

from __future__ import annotations

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import clone_request

from core.api.permissions import IsAdmin, IsSignedIn


class SignedIn(IsSignedIn):
    """Any active account (a subscriber); OPTIONS for anyone."""

    def has_permission(self, request, view) -> bool:
        return request.method == "OPTIONS" or super().has_permission(request, view)


class Admin(IsAdmin):
    """Superusers only; OPTIONS for anyone."""

    def has_permission(self, request, view) -> bool:
        return request.method == "OPTIONS" or super().has_permission(request, view)


class InputMetadata(SimpleMetadata):
    """OPTIONS describes the input of the write whoever asks (DRF's default
    leaves it out for a caller who may not write), like the schema does."""

    def determine_actions(self, request, view) -> dict:
        actions = {}
        for method in sorted({"PUT", "POST"} & set(view.allowed_methods)):
            # As SimpleMetadata does: the view picks its serializer by method
            # (a write's input), so it must see the method being described.
            view.request = clone_request(request, method)
            try:
                actions[method] = self.get_serializer_info(view.get_serializer())
            finally:
                view.request = request
        return actions
