"""Structure rules: the files every generated backend has, and a test file per module."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase

from deeprun.contracts.gates import Failure
from deeprun.logic.architecture.rules import RULES

REQUIRED = (
    "pyproject.toml",
    "requirements.txt",
    "alembic.ini",
    "Dockerfile",
    ".dockerignore",
    "README.md",
    "app/__init__.py",
    "app/main.py",
    "app/server.py",
    "app/config/settings.py",
    "app/db/session.py",
    "app/errors/handlers.py",
    "app/modules/health/router.py",
    "migrations/env.py",
    "migrations/versions/*.py",
    "tests/conftest.py",
)


def structure_rules(files: Mapping[str, str]) -> tuple[Failure, ...]:
    """``files`` holds every file of the project by relative POSIX path (text)."""
    return (*_missing(files), *_untested(files))


def _missing(files: Mapping[str, str]) -> Iterable[Failure]:
    for pattern in REQUIRED:
        if not any(fnmatchcase(path, pattern) for path in files):
            yield RULES["STRUCTURE.REQUIRED_FILE"].failure(f"{pattern} is missing", pattern)


def routed_modules(files: Mapping[str, str]) -> list[str]:
    """The feature modules that serve routes (a module without a router has no HTTP surface
    to test: its table is read through other modules)."""
    found = {
        parts[2]
        for parts in (path.split("/") for path in files)
        if len(parts) == 4 and parts[:2] == ["app", "modules"] and parts[3] == "router.py"
    }
    return sorted(found)


def _untested(files: Mapping[str, str]) -> Iterable[Failure]:
    tested = {
        path.rsplit("/", 1)[-1].removeprefix("test_").removesuffix(".py")
        for path, text in files.items()
        if fnmatchcase(path, "tests/*test_*.py") and _has_tests(text)
    }
    for module in routed_modules(files):
        if module not in tested:
            yield RULES["TEST.MODULE_MISSING_TESTS"].failure(
                f"module {module} has no tests/…/test_{module}.py with a test in it",
                f"app/modules/{module}/__init__.py",
            )


def _has_tests(text: str) -> bool:
    """A test function at module level or in a Test class; a comment or string is not one."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return False
    bodies = [tree.body] + [
        node.body
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test")
    ]
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
        for body in bodies
        for node in body
    )
