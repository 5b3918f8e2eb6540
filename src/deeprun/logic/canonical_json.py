"""Canonical JSON: sorted keys, no spare whitespace, UTF-8, no NaN. Same value, same bytes."""

from __future__ import annotations

import hashlib
import json


def canonical_json(value: object) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def canonical_bytes(value: object) -> bytes:
    return canonical_json(value).encode()


def pretty_json(value: object) -> str:
    """Sorted keys, two-space indent, trailing newline: for files people read and diff."""
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def sha256_of(value: object) -> str:
    """``sha256:<hex>`` of the canonical bytes; the identity of a spec, a tree or an envelope."""
    return "sha256:" + hashlib.sha256(canonical_bytes(value)).hexdigest()
