"""Deterministic identities: the same command on the same bytes gets the same execution id."""

from __future__ import annotations

import hashlib
import uuid

_NAMESPACE = uuid.UUID("5f0b6c1e-8d3a-5c52-9a7e-0d1e2f3a4b5c")


def execution_id(command: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return str(uuid.uuid5(_NAMESPACE, f"{command}\n{digest}"))
