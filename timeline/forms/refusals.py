"""A service's refusal, shown to the editor on the form that asked for it."""

from __future__ import annotations

from django import forms

from ..exceptions import StaleRevision, TimelineError

# Where a service's argument differs from the form's field, its errors go here.
SERVICE_FIELD_TO_FORM_FIELD = {
    "when": "when",
    "actual": "when",
    "as_of": "when",
    "tz": "when",
}


def add_refusal(form: forms.BaseForm, error: TimelineError) -> None:
    """Put a service's refusal on the form: each field error on its field
    when the form has it, everything else (and the message itself when no
    field took it) at the top of the form."""
    placed = False
    for name, messages in (error.fields or {}).items():
        target = SERVICE_FIELD_TO_FORM_FIELD.get(name, name)
        if target in form.fields and not form.fields[target].widget.is_hidden:
            for message in messages:
                form.add_error(target, message)
            placed = True
        elif name != "non_field_errors":
            for message in messages:
                form.add_error(None, f"{name.replace('_', ' ').capitalize()}: {message}")
        else:
            for message in messages:
                form.add_error(None, message)
    if not placed:
        form.add_error(None, refusal_message(error))


def refusal_message(error: TimelineError) -> str:
    """The editor-facing sentence for a refusal; a stale revision says what to do next."""
    if isinstance(error, StaleRevision):
        return (
            f"Someone changed this item since you opened it (you had revision {error.expected}, "
            f"it is now {error.current}). Reload the page to see their change, then make yours again."
        )
    return error.message


class RefusableForm:
    """A form a service's refusal can come back to.

    The admin saves after the form validated, so a refusal (a stale
    revision, a rule only the service knows) arrives too late for this
    form's own validation. ServiceBackedAdmin then shows the page again with
    `refusal` set on the form it builds, and this clean() puts it on the
    form, which keeps what the editor typed."""

    refusal: TimelineError | None = None

    def clean(self):
        cleaned = super().clean()
        if self.refusal is not None:
            add_refusal(self, self.refusal)
        return cleaned
