"""The two boundaries of compiling: formatting generated code, and putting a tree on disk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol


class Formatter(Protocol):
    """Formats the Python files of a tree (and fixes import order); other files pass through."""

    def format(self, tree: Mapping[str, bytes]) -> dict[str, bytes]: ...


class TreeWriter(Protocol):
    """Writes a tree as a folder, and optionally as a zip, all or nothing; or updates a folder
    file by file."""

    def listing(self, output: Path) -> list[str] | None:
        """Relative paths of the files already in ``output``; None when it does not exist."""
        ...

    def read(self, output: Path, path: str) -> bytes: ...

    def write(self, tree: Mapping[str, bytes], output: Path, zip_path: Path | None) -> None: ...

    def update(self, output: Path, writes: Mapping[str, bytes], removals: Sequence[str]) -> None:
        """Changes some files of an existing folder in place and leaves every other file be."""
        ...

    def write_zip(self, tree: Mapping[str, bytes], zip_path: Path) -> None: ...
