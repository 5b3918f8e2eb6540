"""Database object names: deterministic, within PostgreSQL's 63 bytes, the same in the models
and the migration (both mark them final, so SQLAlchemy's naming convention leaves them alone)."""

from __future__ import annotations

import hashlib
from typing import Final

from deeprun.logic.naming import MAX_IDENTIFIER

_HASH: Final = 8


def db_name(kind: str, table: str, *parts: str) -> str:
    """``<kind>_<table>_<parts>``; a longer name keeps its start and ends in a short hash."""
    name = "_".join((kind, table, *parts))
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:_HASH]
    return f"{name[: MAX_IDENTIFIER - _HASH - 1]}_{digest}"
