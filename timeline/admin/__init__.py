"""The editors' admin for the record. Every save, delete and bulk action goes
through timeline.services; see items.py for items, transitions.py for their
lifecycle, reference.py for storylines, actors, outlets, sources and
citations, history.py for the change log."""

from . import history, items, reference  # noqa: F401  (each registers its admins)
from . import ics_import  # noqa: F401  (calendars in: the upload page and the conflicts)

from django.contrib import admin as _admin  # noqa: E402

# The site's name, not "Django administration", on every admin page.
_admin.site.site_header = "Forecast Watch"
_admin.site.site_title = "Forecast Watch admin"
_admin.site.index_title = "The record and its alerts"
