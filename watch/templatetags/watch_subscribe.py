"""{% subscribe_form follow %}: the subscribe form for what a page follows.

The timeline's pages know nothing of watch's forms; they pass their `follow`
({"kind", "key", "label"}) to watch/includes/subscribe_form.html, which calls
this tag. A page that re-shows the form with errors (watch's own subscribe
page) puts that bound form in its context as `subscribe_form`.
"""

from django import template

from ..forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("watch/includes/_subscribe_form.html", takes_context=True)
def subscribe_form(context, follow):
    form = context.get("subscribe_form")
    if form is None:
        form = SubscribeForm(initial={"follow_kind": follow["kind"], "follow_key": follow["key"]})
    return {"form": form, "follow": follow, "csrf_token": context.get("csrf_token")}
