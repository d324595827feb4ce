"""Template helpers of the site's layout (core/templates/site)."""

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number, param="page", fragment=""):
    """The current URL with `param` set to `number`, every other query
    parameter kept (a filtered list stays filtered from page to page)."""
    request = context["request"]
    query = request.GET.copy()
    query[param] = number
    pairs = [(key, value) for key in query for value in query.getlist(key)]
    return f"{request.path}?{urlencode(pairs)}{'#' + fragment if fragment else ''}"
