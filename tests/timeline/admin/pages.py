"""Helpers for driving the admin through the test client, as a browser would:
read the form a page rendered, change some fields, post it back."""

from __future__ import annotations

from datetime import date, datetime, time
from html.parser import HTMLParser

from django.contrib.messages import get_messages
from django.forms import MultiWidget
from django.urls import reverse


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:timeline_{model}_{view}", args=args)


def _encode(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _form_values(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts):
                encoded = _encode(part)
                if encoded is not None:
                    data[bound.html_name + suffix] = encoded
            continue
        encoded = _encode(value)
        if encoded is not None:
            data[bound.html_name] = encoded
    return data


def form_data(response) -> dict:
    """What the change or add page would post unchanged: the main form, and
    every inline's management form and rows."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data


def add_inline_row(data: dict, prefix: str, **fields) -> dict:
    """Append one new row to an inline formset in posted data."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = _encode(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def error_messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def form_errors(response) -> dict[str, list[str]]:
    """Errors of the page's form (an admin change form or a transition form)."""
    context = response.context
    form = context["adminform"].form if "adminform" in context else context["form"]
    return {name or "__all__": [str(e) for e in errors] for name, errors in form.errors.items()}


def make_source(*, now, title="Netanyahu and Trump meet", url="https://www.axios.com/2025/12/30/a", outlet=None):
    """An Axios article, made through the services as every write is."""
    from timeline import services
    from timeline.models import Outlet

    outlet = outlet or Outlet.objects.filter(slug="axios").first() or services.outlet_create(name="Axios", slug="axios")
    return services.source_create(outlet=outlet, title=title, url=url, published_at=now)


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name") != "csrfmiddlewaretoken":
            self.found.append((attrs["name"], attrs.get("value") or ""))


def hidden_inputs(response) -> dict[str, list[str]]:
    """The hidden inputs a page rendered (the revisions, the selection), as it would post them."""
    parser = _HiddenInputs()
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.found:
        data.setdefault(name, []).append(value)
    return data


def run_action(client, model: str, action: str, items, **fields):
    """Pick `action` for `items` on the list, as the list page posts it: with
    the revision each row showed."""
    changelist = client.get(url(model, "changelist"))
    shown = hidden_inputs(changelist)
    data = {"action": action, "index": "0", "_selected_action": [str(item.pk) for item in items], **fields}
    for item in items:
        data[f"revision_{item.pk}"] = shown[f"revision_{item.pk}"]
    return client.post(url(model, "changelist"), data)


def apply_action_form(client, model: str, form_page, **fields):
    """Submit the intermediate page of a bulk action with `fields`."""
    data = {**_form_values(form_page.context["form"]), **hidden_inputs(form_page),
            **{k: _encode(v) for k, v in fields.items()}}
    return client.post(url(model, "changelist"), {k: v for k, v in data.items() if v is not None})


def submit_transition(client, model: str, transition: str, item, **fields):
    """Open the item's page for `transition` (as its button does) and submit it."""
    change_page = client.get(url(model, "change", item.pk))
    link = next(link for link in change_page.context["transition_links"] if link["name"] == transition)
    page = client.get(link["url"])
    assert page.status_code == 200
    data = {**_form_values(page.context["form"]), **hidden_inputs(page), **{k: _encode(v) for k, v in fields.items()}}
    return client.post(link["url"], {k: v for k, v in data.items() if v is not None})
