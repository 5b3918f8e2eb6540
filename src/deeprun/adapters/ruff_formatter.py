"""Formats a generated tree with the pinned ruff, in one pass over a scratch folder.

The tree carries its own pyproject.toml, so ruff applies the generated project's settings:
the output is exactly what `ruff format --check` and `ruff check` in that project expect.
The scratch folder is in memory (/dev/shm) where the machine has one: creating five hundred
small files on a disk took as long as ruff itself.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ruff.__main__ import find_ruff_bin

from deeprun.contracts.errors import InternalError

TIMEOUT_SECONDS = 120
MEMORY_FOLDER = Path("/dev/shm")  # noqa: S108 - a private mkdtemp folder is made inside


class RuffFormatter:
    def __init__(self, executable: str | None = None, scratch: Path | None = None) -> None:
        self._ruff = executable or str(find_ruff_bin())
        self._scratch = scratch or memory_folder()

    def format(self, tree: Mapping[str, bytes]) -> dict[str, bytes]:
        with tempfile.TemporaryDirectory(prefix="deeprun-format-", dir=self._scratch) as folder:
            root = Path(folder)
            made: set[Path] = set()
            for path, data in tree.items():
                target = root / path
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                target.write_bytes(data)
            self._run(root, "check", "--fix", "--select", "I,F401", "--exit-zero", "--quiet")
            self._run(root, "format", "--quiet")
            return {
                path: (root / path).read_bytes() if path.endswith(".py") else data
                for path, data in tree.items()
            }

    def _run(self, root: Path, *args: str) -> None:
        command = [self._ruff, *args, "--no-cache", "."]
        try:
            subprocess.run(  # noqa: S603 - the pinned ruff binary, fixed arguments
                command, cwd=root, check=True, capture_output=True, timeout=TIMEOUT_SECONDS
            )
        except subprocess.CalledProcessError as exc:
            detail = exc.stderr.decode(errors="replace").strip()
            raise InternalError(f"ruff {args[0]} failed on generated code: {detail}") from exc
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InternalError(f"ruff {args[0]} could not run: {exc}") from exc


def memory_folder() -> Path | None:
    """The in-memory folder when we may write in it; None (the usual temporary folder) else."""
    usable = MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK)
    return MEMORY_FOLDER if usable else None
