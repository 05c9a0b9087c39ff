"""gunicorn's settings in a checkout (read from the current folder, or with -c gunicorn.conf.py):
the portal's own, ``portal.gunicorn_conf`` (an installation uses -c python:portal.gunicorn_conf).
Each worker builds its search facet index before it takes traffic."""

import sys
from pathlib import Path

# platform/ is a source root, not a package (as in wsgi.py): importable without an install too.
sys.path.insert(0, str(Path(__file__).resolve().parent / "platform"))

from portal.gunicorn_conf import post_worker_init  # noqa: E402, F401
