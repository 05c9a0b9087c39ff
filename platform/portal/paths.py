"""Where the portal's data directories are: migrations/, translations/ and seed/.

In a checkout they sit at the top of the repository, beside platform/. A wheel carries a copy of
each inside the package, in portal/_shipped/ (setup.py puts it there), so that an installation
migrates, compiles its catalogs and seeds without the checkout. The package's copy wins when it
is there; a checkout (or an editable install of it) has none.
"""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path
from types import ModuleType

from portal.config import PROJECT_ROOT

SHIPPED = Path(str(resources.files("portal"))) / "_shipped"


def data_dir(name: str) -> Path:
    """``migrations``, ``translations`` or ``seed``: the installed wheel's copy, or the checkout's."""
    shipped = SHIPPED / name
    return shipped if shipped.is_dir() else PROJECT_ROOT / name


def in_checkout() -> bool:
    """True when the data directories are the checkout's (extracting messages needs the sources)."""
    return not SHIPPED.is_dir()


def seed_loader() -> ModuleType:
    """``seed/loader.py``, the demo data's loader, from the same place as ``data_dir("seed")``."""
    if (SHIPPED / "seed").is_dir():
        return importlib.import_module("portal._shipped.seed.loader")
    return importlib.import_module("seed.loader")
