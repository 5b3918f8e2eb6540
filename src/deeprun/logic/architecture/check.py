"""``deeprun check architecture``: static rules over a project's files and import graph.

Each rule family lives in its own module; this one only gathers their findings in one stable
order so two runs over the same project give the same report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from deeprun.contracts.gates import Failure, Import
from deeprun.logic.architecture.code import code_rules
from deeprun.logic.architecture.dockerfile import dockerfile_rules
from deeprun.logic.architecture.imports import import_rules
from deeprun.logic.architecture.structure import structure_rules


def check_architecture(
    files: Mapping[str, str],
    imports: Sequence[Import] | None,
    dockerfile_lint: Sequence[Failure] = (),
) -> tuple[Failure, ...]:
    """``imports`` is None when the graph could not be built (a file did not parse)."""
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    found = [
        *structure_rules(files),
        *code_rules(python),
        *(import_rules(imports, files) if imports is not None else ()),
        *(dockerfile_rules(files["Dockerfile"]) if "Dockerfile" in files else ()),
        *dockerfile_lint,
    ]
    return tuple(sorted(set(found), key=_order))


def _order(failure: Failure) -> tuple[str, int, str, str]:
    return (failure.file or "", failure.line or 0, failure.code, failure.message)
