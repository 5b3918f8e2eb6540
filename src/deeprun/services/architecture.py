"""``check architecture``: the project's files and import graph through the static rules."""

from __future__ import annotations

import ast
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
    files = tools.files.read(root)
    graph = None
    if _parses(files):
        graph = tools.graph.imports(root, "app") if "app/__init__.py" in files else ()
    lint = tools.linter.lint(root / "Dockerfile") if "Dockerfile" in files else ()
    failures = check_architecture(files, graph, lint)
    return ArchitectureReport(failures, len(files), None if graph is None else len(graph))


def _parses(files: dict[str, str]) -> bool:
    """grimp cannot build a graph over a file that does not parse (STRUCTURE.SYNTAX says so)."""
    for path, text in files.items():
        if path.endswith(".py"):
            try:
                ast.parse(text, path)
            except (SyntaxError, ValueError):
                return False
    return True
