"""The embedded defaults used by `make run` and manage.py: see base.py."""

from config.secret_key import load_or_create

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY, VAR_DIR

# Web, worker and beat must share one key: generated once into var/ (make run
# does it before starting any process; load_or_create is safe if they race).
SECRET_KEY = SECRET_KEY or load_or_create(VAR_DIR / "secret_key")
