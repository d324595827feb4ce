"""The moment of a request, read once: core.clock.request_now, under the
name the API framework has always exported."""

from core.clock import request_now

__all__ = ["request_now"]
