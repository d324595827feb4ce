"""What every admin of the record shares: writes go through the services, and
a service's refusal comes back to the editor as form errors, never a 500."""

from __future__ import annotations

import json

from django.contrib import admin

from core.clock import request_now  # noqa: F401  (the admins import it from here)

from ..exceptions import TimelineError

# The request attribute that carries a refusal into the second pass of the form.
_REFUSAL = "_timeline_refusal"


class ServiceBackedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose add and change forms save through a service.

    Subclasses implement `save_model` by calling a service. The service may
    refuse after the form validated (a stale revision, a rule only it knows):
    it raises a TimelineError inside the admin's transaction, which rolls back
    everything the save did. The form is then validated again, with the
    refusal added as errors (the forms are RefusableForm), so the editor sees
    the page with what they typed and why it was refused.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except TimelineError as refusal:
            if getattr(request, _REFUSAL, None) is not None:
                raise  # refused on the second pass too: not ours to hide
            setattr(request, _REFUSAL, refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        # ModelAdmin.get_form makes this class for this request alone
        # (modelform_factory), so what it carries reaches no other request.
        form_class.refusal = getattr(request, _REFUSAL, None)
        return form_class

    @staticmethod
    def adopt(obj, saved) -> None:
        """Make the admin's unsaved `obj` stand for the row a service created,
        so the rest of the admin (the log, the redirect, the inlines) uses it."""
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False


class AliasSearchMixin:
    """Search actor aliases (a JSON list) the same on every database.

    The alias lookup (`aliases__icontains` in search_fields) matches within
    the JSON text. PostgreSQL's jsonb keeps "Sepâh" as it is; SQLite keeps the
    text json.dumps wrote, which escapes it as "Sep\\u00e2h". For a term with
    non-ASCII letters, the escaped spelling is searched too.
    """

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term and not search_term.isascii():
            escaped = json.dumps(search_term)[1:-1]
            more, more_duplicates = super().get_search_results(request, queryset, escaped)
            results = results | more
            may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates
