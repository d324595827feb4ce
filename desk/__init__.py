"""The desk: newsroom staff's planning view of the record (docs/desk.md)."""
