"""Reading a document from a path or standard input, never more than the size cap plus one byte."""

from __future__ import annotations

import sys
from pathlib import Path

from deeprun.contracts.errors import InputError
from deeprun.logic.documents import MAX_DOCUMENT_BYTES

STDIN = "-"


def read_source(source: str) -> bytes:
    """The bytes of ``source`` (a file path or ``-``), bounded so a huge input costs no memory."""
    limit = MAX_DOCUMENT_BYTES + 1
    if source == STDIN:
        return sys.stdin.buffer.read(limit)
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError(f"{source} is a directory, not a file")
        with path.open("rb") as handle:
            return handle.read(limit)
    except FileNotFoundError as exc:
        raise InputError(f"{source}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror or exc})") from exc
