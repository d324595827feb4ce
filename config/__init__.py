# The Celery app is loaded with Django so that @shared_task binds to it and
# transaction-aware sending works from any process.
from .celery_app import app as celery_app

__all__ = ("celery_app",)
