"""watch's part of the REST API, v1: subscriptions and deliveries.

Mounted by config/urls.py under /api/v1/ (namespace "watch-api"), on the
platform in core.api: DRF generic views, the one error body,
KeysetPagination, Idempotency-Key. See docs/api.md, "Subscriptions and
deliveries".
"""
