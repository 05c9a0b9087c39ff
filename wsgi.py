"""WSGI entry point: ``gunicorn wsgi:app`` (and ``flask --app wsgi``)."""

import sys
from pathlib import Path

# platform/ is a source root, not a package; make it importable without an install too.
sys.path.insert(0, str(Path(__file__).resolve().parent / "platform"))

from portal import create_app  # noqa: E402

app = create_app()
