"""Code rules over a generated backend's Python source, read as syntax trees.

Every rule inspects parsed code, never the text, so a commented-out line or a string that
spells a bad pattern neither triggers a rule nor satisfies one. Application code is
``app/**`` and ``scripts/**``; tests and migrations may do what the app must not.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping

from deeprun.contracts.gates import Failure
from deeprun.logic.architecture.code_ast import CATCH_ALL, Source, parse
from deeprun.logic.architecture.code_auth import (
    jwt_secret_rules,
    password_hashing_rules,
    rate_limit_rules,
    uses_jwt,
)
from deeprun.logic.architecture.code_secrets import hardcoded_secrets
from deeprun.logic.architecture.code_security import (
    boot_migrations,
    cors_wildcards,
    debug_modes,
    stacktrace_leaks,
)
from deeprun.logic.architecture.rules import RULES

_PRINT = frozenset({"print", "builtins.print"})


def code_rules(files: Mapping[str, str]) -> tuple[Failure, ...]:
    """``files`` maps each .py file's relative POSIX path to its text; a file that does not
    parse gets STRUCTURE.SYNTAX and no other rule looks at it."""
    sources: list[Source] = []
    found: list[Failure] = []
    for path in sorted(files):
        try:
            sources.append(parse(path, files[path]))
        except SyntaxError as error:
            message = f"does not parse: {error.msg}"
            found.append(RULES["STRUCTURE.SYNTAX"].failure(message, path, error.lineno))
        except RecursionError:
            message = "does not parse: nested too deeply"
            found.append(RULES["STRUCTURE.SYNTAX"].failure(message, path))
    app_parsed = not any(failure.file and failure.file.startswith("app/") for failure in found)
    for source in sources:
        for rule in _PER_MODULE:
            found.extend(rule(source))
    if app_parsed:
        found.extend(_project_rules(sources, files))
    return tuple(sorted(set(found), key=_order))


def _project_rules(sources: list[Source], paths: Iterable[str]) -> Iterator[Failure]:
    """Rules that look across modules; run only on a fully parsed app, since a module they
    cannot read may hold exactly what they look for."""
    yield from rate_limit_rules(sources, paths)
    if uses_jwt(sources):
        yield from jwt_secret_rules(sources)
        yield from password_hashing_rules(sources)


def _order(failure: Failure) -> tuple[str, int, str, str]:
    return (failure.file or "", failure.line or 0, failure.code, failure.message)


def raw_exceptions(source: Source) -> Iterator[Failure]:
    """A bare Exception escapes the error mapping and always answers 500."""
    if not source.application:
        return
    for node in source.nodes:
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = source.name(raised)
            if name in CATCH_ALL:
                message = f"raises a bare {name.rsplit('.', 1)[-1]}"
                yield RULES["CODE.RAW_EXCEPTION"].failure(message, source.path, node.lineno)


def prints(source: Source) -> Iterator[Failure]:
    """print() bypasses the structured JSON logs (no level, no request id)."""
    if not source.application:
        return
    for call in source.calls():
        if source.name(call.func) in _PRINT:
            yield RULES["CODE.PRINT"].failure("calls print()", source.path, call.lineno)


_PER_MODULE: tuple[Callable[[Source], Iterable[Failure]], ...] = (
    raw_exceptions,
    prints,
    cors_wildcards,
    debug_modes,
    hardcoded_secrets,
    stacktrace_leaks,
    boot_migrations,
)
