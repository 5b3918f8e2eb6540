"""The compiler: a canonical spec in, the project's file tree out. Pure: no clock, no I/O.

``plan`` renders the templates; formatting (ruff, through a port) and sealing (the manifest)
are later stages, so this function stays a value-to-value mapping that tests can call directly.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any, Final

from deeprun.contracts.errors import InternalError, NotBuiltError
from deeprun.contracts.spec_ir import Spec11
from deeprun.logic.compiler.project import project_view
from deeprun.logic.compiler.render import render, render_revision
from deeprun.logic.compiler.revision import RevisionView, revision
from deeprun.logic.compiler.schema import EMPTY, schema
from deeprun.logic.compiler.support import unsupported
from deeprun.logic.migration_history import History, is_revision
from deeprun.logic.review import review

TEMPLATE_VERSION: Final = "fastapi-postgres/2026.11.3"

FileTree = dict[str, bytes]
"""Relative POSIX paths to file contents."""

HOOKS: Final = "app/modules/*/hooks.py"


def written_once(path: str) -> bool:
    """Files generated only where they are missing, never rewritten: migration revisions
    (history is not rewritten) and each module's hooks (the user's code)."""
    return is_revision(path) or fnmatchcase(path, HOOKS)


def as_version_11(canonical: dict[str, Any]) -> Spec11:
    """A canonical 1.0 spec read as 1.1, with every 1.1 default made explicit by review."""
    if canonical["spec_version"] == "1.1":
        return Spec11.model_validate(canonical)
    outcome = review({**canonical, "spec_version": "1.1"})
    if outcome.canonical is None:
        raise InternalError("a valid 1.0 spec was not valid as 1.1")
    return Spec11.model_validate(outcome.canonical)


def plan(canonical: dict[str, Any]) -> FileTree:
    """The generated project for a canonical spec (the output of review), unformatted."""
    spec = as_version_11(canonical)
    missing = unsupported(spec)
    if missing:
        raise NotBuiltError(
            "the compiler does not generate these 1.1 features yet: " + ", ".join(missing)
        )
    return {path: text.encode() for path, text in sorted(render(project_view(spec)).items())}


def plan_upgrade(
    old: dict[str, Any], new: dict[str, Any], history: History
) -> tuple[FileTree, RevisionView | None]:
    """The project for ``new`` as an upgrade of one compiled from ``old``: no initial revision,
    but the next one, from the difference of the two schemas (None when they are the same)."""
    tree = {path: data for path, data in plan(new).items() if not is_revision(path)}
    before = schema(project_view(as_version_11(old))) if history.head else EMPTY
    view = revision(
        before, schema(project_view(as_version_11(new))), history.next_number, history.head
    )
    if view is not None:
        tree[view.path] = render_revision(view).encode()
    return tree, view
