"""Calendars and feeds of the record: the iCalendar builder (ical.py) that
the feeds and watch's alert attachments share, the ICS and Atom feeds
(views.py, atom.py, mounted at /feeds/ by urls.py), the ICS importer
(ics_in/), and the storyline's export and its loader (export.py, load.py).
docs/feeds.md describes every URL."""
