"""Followed outlet feeds: new articles polled, fetched and read into proposals (docs/reading.md)."""
