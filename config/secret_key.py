"""The development secret key: generated once into var/, shared by every process.

Web, worker and beat must sign with the same key, so the key lives in a file
rather than in each process's memory. It is written to a temporary file and
then hard-linked into place: link() fails if the name exists, so when several
processes start at once exactly one key wins and the others read it.
Production never comes here; it demands DJANGO_SECRET_KEY.
"""

import os
import secrets
from pathlib import Path


def load_or_create(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(secrets.token_urlsafe(50))
    os.chmod(tmp, 0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process won the race; its key is the key
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()
