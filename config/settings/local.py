"""The embedded defaults used by `make run` and manage.py: see base.py."""

from .base import *  # noqa: F401,F403
