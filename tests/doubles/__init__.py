"""In-memory fakes of deeprun's ports. Tests replace a port with one of these, never patch ours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PassThroughFormatter:
    """Leaves the tree as it is and counts the calls."""

    calls: int = 0

    def format(self, tree: Mapping[str, bytes]) -> dict[str, bytes]:
        self.calls += 1
        return dict(tree)


@dataclass
class MemoryTreeWriter:
    """Folders and zips as dictionaries; ``folders`` may be seeded with existing files."""

    folders: dict[Path, dict[str, bytes]] = field(default_factory=dict)
    zips: dict[Path, dict[str, bytes]] = field(default_factory=dict)

    def listing(self, output: Path) -> list[str] | None:
        folder = self.folders.get(output)
        return sorted(folder) if folder is not None else None

    def read(self, output: Path, path: str) -> bytes:
        return self.folders[output][path]

    def write(self, tree: Mapping[str, bytes], output: Path, zip_path: Path | None) -> None:
        self.folders[output] = dict(tree)
        if zip_path is not None:
            self.zips[zip_path] = dict(tree)

    def update(self, output: Path, writes: Mapping[str, bytes], removals: Sequence[str]) -> None:
        folder = self.folders[output]
        folder.update(writes)
        for path in removals:
            folder.pop(path, None)

    def write_zip(self, tree: Mapping[str, bytes], zip_path: Path) -> None:
        self.zips[zip_path] = dict(tree)
