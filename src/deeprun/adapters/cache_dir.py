"""Where deeprun keeps what outlives one command. Standard library only: `.ci/base-image`
imports the podman adapter (and so this) with the system Python, before any venv exists."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """Shared venvs, the gates' PostgreSQL and the container store (``DEEPRUN_CACHE_DIR``)."""
    configured = os.environ.get("DEEPRUN_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "deeprun"
