"""``check architecture``: the project's files and import graph through the static rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from deeprun.contracts.gates import Failure, Severity
from deeprun.logic.architecture.check import check_architecture
from deeprun.ports.gates import DockerfileLinter, ImportGraph, ProjectFiles


@dataclass(frozen=True, slots=True)
class ArchitectureTools:
    files: ProjectFiles
    graph: ImportGraph
    linter: DockerfileLinter


@dataclass(frozen=True, slots=True)
class ArchitectureReport:
    failures: tuple[Failure, ...]
    files: int
    imports: int | None  # None when a file did not parse and no graph was built

    @property
    def errors(self) -> tuple[Failure, ...]:
        return tuple(f for f in self.failures if f.severity is Severity.ERROR)

    def summary(self) -> dict[str, object]:
        return {
            "files_checked": self.files,
            "imports_checked": self.imports,
            "errors": len(self.errors),
            "warnings": len(self.failures) - len(self.errors),
            "violations": [f.to_dict() for f in self.failures],
        }


def check(root: Path, tools: ArchitectureTools) -> ArchitectureReport:
    return check_files(root, tools.files.read(root), tools)


def check_files(
    root: Path, files: Mapping[str, str], tools: ArchitectureTools
) -> ArchitectureReport:
    """``files`` as ``tools.files.read(root)`` gives them, for a caller that read them already."""
    graph = tools.graph.imports(root, "app") if "app/__init__.py" in files else ()
    lint = tools.linter.lint(root / "Dockerfile") if "Dockerfile" in files else ()
    failures = check_architecture(files, graph, lint)
    return ArchitectureReport(failures, len(files), None if graph is None else len(graph))
