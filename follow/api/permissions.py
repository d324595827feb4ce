"""Who may use /api/v1/follow/: editors, for reads too (a feed's validators
and errors are the desk's business). OPTIONS answers anyone, as every route
of /api/v1/ does: it says no more than the public schema."""

from __future__ import annotations

from core.api.permissions import IsEditor


class Editor(IsEditor):
    def has_permission(self, request, view) -> bool:
        return request.method == "OPTIONS" or super().has_permission(request, view)
