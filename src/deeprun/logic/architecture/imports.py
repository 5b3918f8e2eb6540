"""Import rules over the real import graph: layers, module isolation, cycles.

They are deeprun's own and do not read the project's import-linter contracts, so a project
cannot pass them by weakening its configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase

from deeprun.contracts.gates import Failure, Import
from deeprun.logic.architecture.rules import RULES
from deeprun.logic.graphs import strongly_connected

_DATABASE = ("sqlalchemy", "asyncpg", "psycopg", "psycopg2", "app.db")
_WEB = ("fastapi", "starlette")
_MODULE = "app.modules.*."
_APP_ENTRY = ("app.main", "app.server")

# importer pattern -> what it may not import (patterns match a module or its parent package)
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        _MODULE + "router",
        (*_DATABASE, _MODULE + "repository", _MODULE + "model"),
    ),
    *(
        (
            _MODULE + layer,
            (
                *_WEB,
                *_DATABASE,
                "app.dependencies",
                _MODULE + "repository",
                _MODULE + "router",
                _MODULE + "model",
                _MODULE + "wiring",
            ),
        )
        for layer in ("service", "hooks")  # hooks are the user's half of the service
    ),
    (_MODULE + "repository", (*_WEB, _MODULE + "service", _MODULE + "router", _MODULE + "wiring")),
    (_MODULE + "model", (*_WEB, _MODULE + "service", _MODULE + "router", _MODULE + "schemas")),
    (_MODULE + "entity", (*_WEB, *_DATABASE, "pydantic", "app.*")),
    *(
        (infrastructure, ("app.modules", *_APP_ENTRY))
        for infrastructure in (
            "app.accounts",
            "app.common",
            "app.config",
            "app.db",
            "app.dependencies",
            "app.errors",
            "app.middleware",
            "app.security",
        )
    ),
    ("app.main", ("app.server",)),
)


def import_rules(
    imports: Sequence[Import], files: Mapping[str, str], package: str = "app"
) -> tuple[Failure, ...]:
    found = [
        *_layer_failures(imports, files),
        *_isolation_failures(imports, files),
        *_cycle_failures(imports, files, package),
    ]
    return tuple(sorted(set(found), key=lambda f: (f.file or "", f.line or 0, f.code, f.message)))


def module_file(module: str, files: Mapping[str, str]) -> str | None:
    base = module.replace(".", "/")
    return next((p for p in (f"{base}.py", f"{base}/__init__.py") if p in files), None)


def _matches(module: str, pattern: str) -> bool:
    """A pattern names a module or a package: ``app.db`` covers ``app.db.session``."""
    parts = module.split(".")
    return any(fnmatchcase(".".join(parts[:n]), pattern) for n in range(1, len(parts) + 1))


def _layer_of(module: str) -> tuple[str, tuple[str, ...]] | None:
    return next(((p, banned) for p, banned in LAYERS if _matches(module, p)), None)


def _layer_failures(imports: Iterable[Import], files: Mapping[str, str]) -> Iterable[Failure]:
    for edge in imports:
        layer = _layer_of(edge.importer)
        if layer is None:
            continue
        pattern, banned = layer
        hit = next((b for b in banned if _matches(edge.imported, b)), None)
        if hit is not None:
            yield RULES["ARCH.LAYER"].failure(
                f"{edge.importer} ({pattern}) imports {edge.imported}, which its layer may not",
                module_file(edge.importer, files),
                edge.line,
            )


def _feature(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if parts[:2] == ["app", "modules"] and len(parts) > 2 else None


def _isolation_failures(imports: Iterable[Import], files: Mapping[str, str]) -> Iterable[Failure]:
    for edge in imports:
        source, target = _feature(edge.importer), _feature(edge.imported)
        if source and target and source != target:
            yield RULES["ARCH.MODULE_ISOLATION"].failure(
                f"module {source} imports module {target} ({edge.imported})",
                module_file(edge.importer, files),
                edge.line,
            )


def _cycle_failures(
    imports: Sequence[Import], files: Mapping[str, str], package: str
) -> Iterable[Failure]:
    inside = [e for e in imports if _matches(e.imported, package) and e.imported != e.importer]
    successors: dict[str, set[str]] = {}
    for edge in inside:
        successors.setdefault(edge.importer, set()).add(edge.imported)
    graph = {node: sorted(targets) for node, targets in successors.items()}
    lines = {(e.importer, e.imported): e.line for e in inside}
    for component in sorted(sorted(c) for c in strongly_connected(graph)):
        if len(component) < 2:
            continue
        first = component[0]
        following = min(m for m in graph[first] if m in component)
        yield RULES["ARCH.CYCLE"].failure(
            "import cycle: " + " -> ".join([*component, first]),
            module_file(first, files),
            lines.get((first, following)),
        )
