"""Bytes → a JSON document, refusing what no spec can be: huge, binary, malformed, too deep.

The limits keep memory bounded: the size cap is checked before anything is decoded, and the
nesting walk is iterative, so no input reaches a recursion limit in our code.
"""

from __future__ import annotations

import json
from typing import Any, Final, NoReturn

from pydantic import JsonValue

from deeprun.contracts.errors import InputError

MAX_DOCUMENT_BYTES: Final = 5 * 1024 * 1024
MAX_DEPTH: Final = 64


def parse_document(data: bytes) -> JsonValue:
    """Parse ``data`` as one strict JSON document, or raise InputError saying why not."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"input is larger than {MAX_DOCUMENT_BYTES} bytes")
    if b"\x00" in data:
        raise InputError("input is binary (it contains NUL bytes), not a JSON document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"input is not UTF-8 (byte {exc.start} is invalid)") from exc
    if not text.strip():
        raise InputError("input is empty")
    try:
        document: JsonValue = json.loads(
            text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"input is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise InputError(f"input nests deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:  # integers beyond Python's digit limit
        raise InputError(f"input is not acceptable JSON: {exc}") from exc
    _check_depth(document)
    return document


def _unique_keys(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise InputError(f"input repeats the key {key!r} in one object")
        seen.add(key)
    return dict(pairs)


def _refuse_constant(name: str) -> NoReturn:
    raise InputError(f"input contains {name}, which is not JSON")


def _check_depth(document: JsonValue) -> None:
    """Breadth-first over containers only: one pass, no recursion, scalars never stored."""
    level: list[Any] = [document] if isinstance(document, dict | list) else []
    for _ in range(MAX_DEPTH):
        if not level:
            return
        below: list[Any] = []
        for node in level:
            children = node.values() if isinstance(node, dict) else node
            below.extend(c for c in children if isinstance(c, dict | list))
        level = below
    if level:
        raise InputError(f"input nests deeper than {MAX_DEPTH} levels")
