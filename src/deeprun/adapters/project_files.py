"""A project folder as the gates see it: its text files, and a clean working copy.

Caches, virtual environments and version control are left out: they are not the project, and
a check must not read or be fooled by them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SKIPPED = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".import_linter_cache",
        ".grimp_cache",
        "node_modules",
    }
)
MAX_FILE_BYTES = 2 * 1024 * 1024


class FilesystemProject:
    def read(self, root: Path) -> dict[str, str]:
        """Every text file by relative POSIX path (binary and huge files are left out)."""
        files: dict[str, str] = {}
        for path in sorted(_walk(root)):
            if path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
                continue
            try:
                files[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
        return files

    def copy(self, root: Path, destination: Path) -> None:
        shutil.copytree(root, destination, symlinks=True, ignore=shutil.ignore_patterns(*SKIPPED))


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for entry in root.iterdir():
        if entry.name in SKIPPED:
            continue
        if entry.is_dir() and not entry.is_symlink():
            found.extend(_walk(entry))
        elif entry.is_file():
            found.append(entry)
    return found
