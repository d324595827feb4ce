"""API views, one class per operation; see timeline/api/urls.py for the routes."""
