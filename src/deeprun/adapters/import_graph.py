"""The import graph of a generated project, from grimp, in-process.

Generated projects are all a package named ``app``: the project folder goes on ``sys.path``
only while grimp builds the graph, and any cached ``app`` modules are forgotten before and
after, so checking one project never sees another's files.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import grimp
from grimp.exceptions import SourceSyntaxError

from deeprun.contracts.gates import Import


class GrimpImportGraph:
    def imports(self, root: Path, package: str) -> tuple[Import, ...] | None:
        with _importable(root, package):
            try:
                graph = grimp.build_graph(
                    package,
                    include_external_packages=True,
                    exclude_type_checking_imports=True,
                    cache_dir=None,
                )
            except SourceSyntaxError:  # STRUCTURE.SYNTAX names the file
                return None
        found: list[Import] = []
        for importer in sorted(graph.modules):
            if not _inside(importer, package):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                details = graph.get_import_details(importer=importer, imported=imported)
                lines: list[int | None] = [*sorted({d["line_number"] for d in details})]
                found.extend(Import(importer, imported, line) for line in lines or [None])
        return tuple(found)


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _forget(package: str) -> None:
    for name in [m for m in sys.modules if _inside(m, package)]:
        del sys.modules[name]


@contextmanager
def _importable(root: Path, package: str) -> Iterator[None]:
    entry = str(root.resolve())
    _forget(package)
    sys.path.insert(0, entry)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(entry)
        sys.path_importer_cache.pop(entry, None)
        _forget(package)
