"""The API platform timeline's and watch's REST views stand on.

- errors: the one error body (`{"error": {"code", "message", "fields", "current"}}`),
  the DRF exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]) and JSON
  404/500 handlers for /api/ paths;
- schema: AutoSchema (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]), which derives
  each operation's error responses and headers from its view;
- views: DRF's generic views, one class per path, with the write path every
  write shares (Idempotency-Key, If-Match, one transaction);
- permissions: IsEditor, IsAdmin, IsSignedIn, ReadOnlyOrEditor, Public;
- pagination: KeysetPagination (cursor on a tuple of columns);
- concurrency: ETags from revisions, If-Match -> expected_revision;
- idempotency: Idempotency-Key stored with the response in the write's transaction;
- filters: StrictBooleanFilter.

Import names from their module (`from core.api.views import ListCreateAPIView`):
this package re-exports nothing, so loading one module never loads the rest.
Throttling is DRF's own AnonRateThrottle and UserRateThrottle (settings).
Nothing here imports timeline or watch. See docs/api.md for what clients see.
"""
