"""What the code rules share: a parsed module whose names resolve through its imports.

Rules ask what an expression refers to (``hashlib.sha256``, ``alembic.command.upgrade``)
rather than how it is spelled, so an alias or a ``from`` import cannot hide a call, and a
comment or a string that merely spells one cannot fake it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

Bindings = dict[str, object]
Function = ast.FunctionDef | ast.AsyncFunctionDef
CATCH_ALL = frozenset(
    {"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"}
)


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    tree: ast.Module
    nodes: tuple[ast.AST, ...]  # walked once: every rule scans them
    imports: dict[str, str]  # local name -> the dotted name it was imported as
    imported: tuple[tuple[int, str], ...]  # (line, module) of every import statement

    @property
    def module(self) -> str:
        """The dotted module name: ``app/x/__init__.py`` is ``app.x``."""
        return ".".join(_package_parts(self.path, is_package=False))

    @property
    def in_app(self) -> bool:
        return self.path.startswith("app/")

    @property
    def application(self) -> bool:
        """Code that ships or runs against production: the app and its scripts."""
        return self.path.startswith(("app/", "scripts/"))

    def name(self, node: ast.AST) -> str | None:
        """The dotted name an expression refers to; a builtin or local keeps its own name."""
        if isinstance(node, ast.Name):
            return self.imports.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.name(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None

    def calls(self) -> Iterator[ast.Call]:
        return (node for node in self.nodes if isinstance(node, ast.Call))

    def functions(self) -> Iterator[Function]:
        return (node for node in self.nodes if isinstance(node, Function))

    def imports_of(self, *packages: str) -> list[int]:
        """Lines importing any of the top-level packages (``argon2`` covers ``argon2.x``)."""
        return [line for line, module in self.imported if package(module) in packages]


def package(name: str) -> str:
    """The top-level package of a dotted name."""
    return name.partition(".")[0]


def parse(path: str, text: str) -> Source:
    """Raises SyntaxError like ``ast.parse``, or RecursionError when nested too deeply."""
    tree = ast.parse(text, filename=path)
    nodes = tuple(ast.walk(tree))
    imported = tuple(_imported_modules(path, nodes))
    return Source(path, tree, nodes, _import_table(path, nodes), imported)


def _imported_modules(path: str, nodes: Iterable[ast.AST]) -> Iterator[tuple[int, str]]:
    """``from`` imports count as importing their module."""
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, _from_module(path, node)


def _import_table(path: str, nodes: Iterable[ast.AST]) -> dict[str, str]:
    table: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or package(alias.name)
                table[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            module = _from_module(path, node)
            for alias in node.names:
                table[alias.asname or alias.name] = f"{module}.{alias.name}".lstrip(".")
    return table


def _from_module(path: str, node: ast.ImportFrom) -> str:
    """The absolute module of a ``from`` import; relative ones resolve against the file."""
    if not node.level:
        return node.module or ""
    parent = _package_parts(path, is_package=True)
    base = parent[: len(parent) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _package_parts(path: str, *, is_package: bool) -> list[str]:
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__" or is_package:
        parts = parts[:-1]
    return parts


def literal(node: ast.AST) -> object:
    """The value of a literal expression (``["*"]``, ``32``), or None when it is not one."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def literal_bindings(statements: Iterable[ast.AST]) -> Bindings:
    """Simple names bound to literals by plain or annotated assignments, the last one winning."""
    bound: Bindings = {}
    for node in statements:
        target, value = assignment(node)
        if isinstance(target, ast.Name) and value is not None:
            found = literal(value)
            if found is not None:
                bound[target.id] = found
    return bound


def assignment(node: ast.AST) -> tuple[ast.expr | None, ast.expr | None]:
    """(target, value) of a single-target assignment, else (None, None)."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        return node.targets[0], node.value
    if isinstance(node, ast.AnnAssign):
        return node.target, node.value
    return None, None


def scoped(tree: ast.Module) -> Iterator[tuple[ast.AST, Bindings]]:
    """Every node with the literals visible there: the module's, shadowed by its function's.
    Iterative, so a deeply nested expression cannot exhaust the stack."""
    stack: list[tuple[ast.AST, Bindings]] = [(tree, literal_bindings(tree.body))]
    while stack:
        parent, bindings = stack.pop()
        for child in ast.iter_child_nodes(parent):
            yield child, bindings
            if isinstance(child, Function):
                stack.append((child, {**bindings, **literal_bindings(ast.walk(child))}))
            else:
                stack.append((child, bindings))


def identifiers(nodes: Iterable[ast.AST]) -> Iterator[str]:
    """Every name the nodes mention: variables, attributes, parameters, keywords."""
    for inner in nodes:
        if isinstance(inner, ast.Name):
            yield inner.id
        elif isinstance(inner, ast.Attribute):
            yield inner.attr
        elif isinstance(inner, ast.arg | ast.keyword) and inner.arg is not None:
            yield inner.arg


def is_true(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is True
