"""Keyset (cursor) pagination on a tuple of columns, stable across pages.

DRF's CursorPagination positions on its first ordering field alone and breaks
ties with an offset it caps at 1,000, so thousands of items sharing one
sort_key (every undated item does) would repeat or vanish between pages.
Here the cursor holds the whole key, e.g. (sort_key, public_id), and the next
page is `WHERE (sort_key, public_id) > (a, b)` written out as

    sort_key >= a AND (sort_key > a OR (sort_key = a AND public_id > b))

which the (sort_key, public_id) index serves. Rows inserted or removed
between two requests never shift a page: there is no offset.

A view opts in with:

    pagination_class = KeysetPagination
    keyset_orderings = {"when": ("sort_key", "public_id"), "-when": ("-sort_key", "-public_id")}

The first entry is the default; `?ordering=` picks another. Every field must
be a non-null column of the queryset's model, and the last must be unique.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import OrderedDict
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param, remove_query_param


def _parse_ordering(fields: tuple[str, ...]) -> list[tuple[str, bool]]:
    return [(f[1:], True) if f.startswith("-") else (f, False) for f in fields]


def _after(position: list[Any], ordering: list[tuple[str, bool]], *, backwards: bool) -> Q:
    """Rows strictly after `position` in `ordering` (before it if `backwards`)."""
    def beyond(desc: bool) -> str:
        return "lt" if desc != backwards else "gt"

    def beyond_or_at(desc: bool) -> str:
        return "lte" if desc != backwards else "gte"

    either = Q()
    for i, (name, desc) in enumerate(ordering):
        step = Q(**{f"{name}__{beyond(desc)}": position[i]})
        for j in range(i):
            step &= Q(**{ordering[j][0]: position[j]})
        either |= step
    first_name, first_desc = ordering[0]
    # The redundant bound on the first column lets the planner use a range
    # scan of the index instead of filtering the whole OR.
    return Q(**{f"{first_name}__{beyond_or_at(first_desc)}": position[0]}) & either


class KeysetPagination(BasePagination):
    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"

    def __init__(self):
        self.page: list = []
        self.next_position = self.previous_position = None
        self.ordering_name = ""

    # -- what the view gives -------------------------------------------------

    @staticmethod
    def orderings_of(view) -> dict[str, tuple[str, ...]]:
        orderings = getattr(view, "keyset_orderings", None)
        if not orderings:
            raise AssertionError(f"{type(view).__name__} uses KeysetPagination but sets no keyset_orderings.")
        return orderings

    # -- the request ----------------------------------------------------------

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
        return size

    def _decode(self, raw: str, ordering: list[tuple[str, bool]], model) -> tuple[list[Any], bool, str]:
        invalid = ValidationError({self.cursor_query_param: ["Not a cursor of this list: start again without it."]})
        try:
            padded = raw + "=" * (-len(raw) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            name, values, backwards = data["o"], data["p"], data["b"]
        except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
            raise invalid from None
        if not isinstance(values, list) or len(values) != len(ordering) or not isinstance(backwards, bool):
            raise invalid
        position = []
        for (field_name, _), value in zip(ordering, values):
            if not isinstance(value, (str, int)):
                raise invalid
            try:
                position.append(model._meta.get_field(field_name).to_python(value))
            except (DjangoValidationError, FieldDoesNotExist, ValueError, TypeError, OverflowError):
                raise invalid from None
            if position[-1] is None:
                raise invalid
        return position, backwards, name

    def _encode(self, obj, ordering: list[tuple[str, bool]], *, backwards: bool) -> str:
        values = []
        for name, _ in ordering:
            value = getattr(obj, obj._meta.get_field(name).attname)
            values.append(value if isinstance(value, int) and not isinstance(value, bool) else
                          value.isoformat() if hasattr(value, "isoformat") else str(value))
        data = {"o": self.ordering_name, "p": values, "b": backwards}
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    # -- DRF's interface -------------------------------------------------------

    def paginate_queryset(self, queryset: QuerySet, request, view=None):
        self.request = request
        orderings = self.orderings_of(view)
        asked = request.query_params.get(self.ordering_query_param)
        if asked is not None and asked not in orderings:
            raise ValidationError({self.ordering_query_param: [f"One of: {', '.join(orderings)}."]})
        self.ordering_name = asked or next(iter(orderings))
        size = self._page_size(request)

        raw_cursor = request.query_params.get(self.cursor_query_param)
        position, backwards = None, False
        if raw_cursor:
            ordering = _parse_ordering(orderings[self.ordering_name])
            position, backwards, name = self._decode(raw_cursor, ordering, queryset.model)
            if asked is not None and name != asked:
                raise ValidationError({self.cursor_query_param: ["This cursor belongs to another ordering."]})
            if name not in orderings:
                raise ValidationError({self.cursor_query_param: ["Not a cursor of this list: start again without it."]})
            self.ordering_name = name
        ordering = _parse_ordering(orderings[self.ordering_name])

        order_by = [("-" if desc != backwards else "") + name for name, desc in ordering]
        qs = queryset.order_by(*order_by)
        if position is not None:
            qs = qs.filter(_after(position, ordering, backwards=backwards))
        rows = list(qs[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        self.page = rows
        self._ordering = ordering
        if backwards:
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = position is not None, more
        return rows

    def _link(self, *, backwards: bool) -> str | None:
        url = self.request.build_absolute_uri()
        if not self.page:
            # An empty page past either end: step back to where the cursor was.
            return None
        anchor = self.page[0] if backwards else self.page[-1]
        cursor = self._encode(anchor, self._ordering, backwards=backwards)
        url = remove_query_param(url, self.ordering_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_next_link(self) -> str | None:
        return self._link(backwards=False) if self.has_next else None

    def get_previous_link(self) -> str | None:
        return self._link(backwards=True) if self.has_previous else None

    def get_paginated_response(self, data) -> Response:
        return Response(OrderedDict([
            ("next", self.get_next_link()),
            ("previous", self.get_previous_link()),
            ("results", data),
        ]))

    # -- schema ---------------------------------------------------------------

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True,
                         "description": "The next page, or null on the last."},
                "previous": {"type": "string", "format": "uri", "nullable": True,
                             "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        orderings = self.orderings_of(view)
        return [
            {
                "name": self.cursor_query_param, "required": False, "in": "query",
                "description": "An opaque position from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param, "required": False, "in": "query",
                "description": f"Results per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.ordering_query_param, "required": False, "in": "query",
                "description": "The order of the list; the first is the default. "
                               + "; ".join(f"`{name}`: {', '.join(fields)}" for name, fields in orderings.items()),
                "schema": {"type": "string", "enum": list(orderings)},
            },
        ]
