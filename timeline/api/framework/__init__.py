"""The API's shared framework, for timeline's views and watch's alike.

- errors: the one error body (`{"error": {"code", "message", "fields", "current"}}`),
  the DRF exception handler and JSON 404/500 handlers for /api/ paths;
- schema: error responses with examples and the shared headers for drf-spectacular;
- permissions: IsEditor, IsAdmin, IsSignedIn, ReadOnlyOrEditor, Public;
- throttles: AnonymousThrottle, AccountThrottle (on the default cache);
- pagination: KeysetPagination (cursor on a tuple of columns);
- concurrency: ETags from revisions, If-Match -> expected_revision;
- idempotency: Idempotency-Key stored with the response in the write's transaction;
- views: BaseAPIMixin, WriteAPIView, CreateAPIView, UpdateAPIView,
  ItemUpdateAPIView, ItemActionView, ItemRetrieveMixin;
- routing: route(get=..., post=...), one view class per operation on one URL;
- clock: request_now, the request's one reading of the clock.

Everything is importable from here (`from timeline.api.framework import
KeysetPagination`). The names load on first use: REST_FRAMEWORK's settings
name throttles and the exception handler in this package, and DRF imports
those while rest_framework.views is still loading, so importing the view
classes eagerly here would be circular. See docs/api.md for what clients see.
"""

from importlib import import_module

_EXPORTS = {
    "clock": ["request_now"],
    "concurrency": ["etag", "expected_revision", "explains_conflicts", "item_etag"],
    "errors": [
        "APIError", "ErrorBody", "ErrorCode", "IdempotencyKeyReused", "PreconditionFailed", "RequestInProgress",
        "api_not_found", "api_server_error", "error_body", "exception_handler",
    ],
    "idempotency": ["run_idempotently"],
    "pagination": ["KeysetPagination"],
    "permissions": ["IsAdmin", "IsEditor", "IsSignedIn", "Public", "ReadOnlyOrEditor"],
    "routing": ["route", "split_routes"],
    "schema": [
        "CREATE_PARAMETERS", "ETAG_HEADER", "IDEMPOTENCY_KEY", "IF_MATCH", "ITEM_WRITE_PARAMETERS",
        "LOCATION_HEADER", "REPLAYED_HEADER", "error_responses", "operation",
    ],
    "throttles": ["AccountThrottle", "AnonymousThrottle"],
    "views": [
        "BaseAPIMixin", "CreateAPIView", "ItemActionView", "ItemRetrieveMixin", "ItemUpdateAPIView",
        "UpdateAPIView", "WriteAPIView",
    ],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
