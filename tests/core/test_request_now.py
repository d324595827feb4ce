"""A request reads the clock once, and a DRF request sees the same instant as the Django one it wraps."""

from django.test import RequestFactory
from rest_framework.request import Request

from core.clock import request_now


def test_one_reading_per_request_shared_with_the_drf_wrapper():
    django_request = RequestFactory().get("/")
    first = request_now(django_request)
    assert request_now(django_request) is first
    assert request_now(Request(django_request)) is first
    assert first.tzinfo is not None
    assert request_now(RequestFactory().get("/")) >= first
