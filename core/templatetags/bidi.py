"""`{{ value|isolate }}`: text people typed, isolated when it holds a bidi
control (core/bidi.py). A builtin of the template engine (config/settings/base.py),
so the page, admin, subscriber-page and email templates use it without a load."""

from django import template
from django.utils.html import conditional_escape, format_html

from core.bidi import has_bidi_controls

register = template.Library()


@register.filter(is_safe=True)
def isolate(value):
    """The value escaped, inside <bdi> when it holds a bidi control, so a
    right-to-left override in it ends with it instead of reordering the
    dates and labels after it. Text without one renders exactly as before."""
    if isinstance(value, str) and has_bidi_controls(value):
        return format_html("<bdi>{}</bdi>", value)
    return conditional_escape(value)
