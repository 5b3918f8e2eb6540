"""Canonical JSON: sorted keys, no insignificant whitespace, UTF-8, no NaN. Same value, same bytes."""

from __future__ import annotations

import hashlib
import json

from pydantic import JsonValue


def canonical_json(value: JsonValue) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def canonical_bytes(value: JsonValue) -> bytes:
    return canonical_json(value).encode()


def sha256_of(value: JsonValue) -> str:
    """``sha256:<hex>`` of the canonical bytes; the identity of a spec, a tree or an envelope."""
    return "sha256:" + hashlib.sha256(canonical_bytes(value)).hexdigest()
