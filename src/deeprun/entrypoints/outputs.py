"""Writing a report file people asked for: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from deeprun.contracts.errors import OutputError


def write_text(path: Path, text: str) -> None:
    """Writes ``text`` beside ``path`` first, then renames it into place."""
    target = path.absolute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        os.fchmod(handle, 0o644)  # a report, readable like the files compile writes
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(partial).replace(target)
    except OSError as exc:
        Path(partial).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
