"""API views, one DRF generic view per path (core.api.views); see timeline/api/urls.py for the routes."""
