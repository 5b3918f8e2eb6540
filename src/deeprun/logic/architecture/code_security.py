"""Per-module security rules: CORS wildcards, debug mode, leaked tracebacks, boot migrations."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from deeprun.contracts.gates import Failure
from deeprun.logic.architecture.code_ast import (
    CATCH_ALL,
    Function,
    Source,
    is_true,
    literal,
    scoped,
)
from deeprun.logic.architecture.rules import RULES

# Origins no allow-list means to admit: a regex that accepts them accepts anyone.
_FOREIGN_ORIGINS = ("https://attacker.invalid", "http://attacker.invalid")
_UVICORN = frozenset({"uvicorn.run", "uvicorn.Config", "uvicorn.config.Config"})
_MIGRATIONS = frozenset({"alembic.command.upgrade", "alembic.command.stamp"})
_TEXT_OF = frozenset({"str", "repr", "format"})
_SWITCHES = {"debug": "debug tracebacks", "reload": "auto-reload"}


def cors_wildcards(source: Source) -> Iterator[Failure]:
    """``allow_origins`` with "*" or a match-all ``allow_origin_regex``, literals followed
    through simple names so ``origins = ["*"]`` a few lines up is caught too."""
    keywords = [n for n in source.nodes if isinstance(n, ast.keyword) and n.arg in _CORS_CHECKS]
    if not (source.application and keywords):
        return
    for node, bindings in scoped(source.tree):
        if not isinstance(node, ast.keyword) or node.arg not in _CORS_CHECKS:
            continue
        value = bindings.get(node.value.id) if isinstance(node.value, ast.Name) else None
        if value is None:
            value = literal(node.value)
        if _CORS_CHECKS[node.arg](value):
            yield RULES["SEC.CORS_WILDCARD"].failure(
                f"{node.arg} admits every origin", source.path, node.lineno
            )


def _any_origin(value: object) -> bool:
    return value == "*" or (isinstance(value, list | tuple | set) and "*" in value)


def _match_all(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        pattern = re.compile(value)
    except re.error:
        return value == "*"
    return any(pattern.fullmatch(origin) for origin in _FOREIGN_ORIGINS)


_CORS_CHECKS = {"allow_origins": _any_origin, "allow_origin_regex": _match_all}


def debug_modes(source: Source) -> Iterator[Failure]:
    """``debug=True`` / ``reload=True`` in any call, ``x.debug = True``, uvicorn at debug level."""
    if not source.application:
        return
    for node in source.nodes:
        if isinstance(node, ast.Call):
            yield from _debug_keywords(source, node)
        elif isinstance(node, ast.Assign) and is_true(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "debug":
                    yield RULES["SEC.DEBUG"].failure(
                        "debug is switched on by assignment", source.path, node.lineno
                    )


def _debug_keywords(source: Source, call: ast.Call) -> Iterator[Failure]:
    verbose = source.name(call.func) in _UVICORN
    for keyword in call.keywords:
        if keyword.arg in _SWITCHES and is_true(keyword.value):
            message = f"{keyword.arg}=True switches on {_SWITCHES[keyword.arg]}"
        elif verbose and keyword.arg == "log_level" and _debug_level(keyword.value):
            message = "uvicorn logs at debug level"
        else:
            continue
        yield RULES["SEC.DEBUG"].failure(message, source.path, keyword.lineno)


def _debug_level(node: ast.expr) -> bool:
    value = literal(node)
    return isinstance(value, str) and value.lower() in ("debug", "trace")


def boot_migrations(source: Source) -> Iterator[Failure]:
    """The app creating or migrating tables itself races other replicas and hides drift."""
    if not source.in_app:
        return
    rule = RULES["DB.AUTO_MIGRATE_AT_BOOT"]
    for line in source.imports_of("alembic"):
        yield rule.failure("the app imports alembic", source.path, line)
    for node in source.nodes:
        if isinstance(node, ast.Attribute) and node.attr == "create_all":
            yield rule.failure("the app calls create_all", source.path, node.lineno)
        elif isinstance(node, ast.Call) and source.name(node.func) in _MIGRATIONS:
            yield rule.failure("the app runs an alembic command", source.path, node.lineno)


def stacktrace_leaks(source: Source) -> Iterator[Failure]:
    """Tracebacks and an unexpected exception's own text tell an attacker about the code."""
    if not source.in_app:
        return
    rule = RULES["SEC.STACKTRACE_LEAK"]
    for line in source.imports_of("traceback"):
        yield rule.failure("the app imports traceback", source.path, line)
    for call in source.calls():
        name = source.name(call.func) or ""
        if name.startswith("traceback.") or name == "sys.exc_info":
            yield rule.failure(f"the app calls {name}", source.path, call.lineno)
    for function, exc in _exception_handlers(source):
        for leak in _handler_leaks(source, function, exc):
            message = f"{function.name} answers with the text of {exc}"
            yield rule.failure(message, source.path, leak.lineno)


def _exception_handlers(source: Source) -> Iterator[tuple[Function, str]]:
    """Handlers of every exception, each with the name its exception goes by."""
    registered = _registered_handlers(source)
    for function in source.functions():
        params = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
        annotated = [
            p.arg for p in params if p.annotation and source.name(p.annotation) in CATCH_ALL
        ]
        if annotated:
            yield function, annotated[0]
        elif function.name in registered and len(params) >= 2:
            yield function, params[1].arg


def _registered_handlers(source: Source) -> set[str]:
    """Functions given to ``add_exception_handler(Exception, f)`` or decorated
    ``@app.exception_handler(Exception)``."""
    names: set[str] = set()
    for call in source.calls():
        func, args = call.func, call.args
        if not (isinstance(func, ast.Attribute) and args and source.name(args[0]) in CATCH_ALL):
            continue
        if func.attr == "add_exception_handler" and len(args) >= 2:
            names.update(n.id for n in ast.walk(args[1]) if isinstance(n, ast.Name))
    for function in source.functions():
        for decorator in function.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr == "exception_handler"
                and decorator.args
                and source.name(decorator.args[0]) in CATCH_ALL
            ):
                names.add(function.name)
    return names


def _handler_leaks(source: Source, function: Function, exc: str) -> Iterator[ast.expr]:
    """Leaks inside what the handler returns or passes to a response, following values
    through local names (``detail = str(exc)`` then ``JSONResponse({"detail": detail})``)."""
    tainted: set[str] = set()
    assignments = [n for n in ast.walk(function) if isinstance(n, ast.Assign)]
    for assign in sorted(assignments, key=lambda n: (n.lineno, n.col_offset)):
        if any(_leaks(assign.value, exc, tainted)):
            tainted.update(
                n.id for t in assign.targets for n in ast.walk(t) if isinstance(n, ast.Name)
            )
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            yield from _leaks(node.value, exc, tainted)
        elif isinstance(node, ast.Call) and "response" in (source.name(node.func) or "").lower():
            yield from _leaks(node, exc, tainted)


def _leaks(node: ast.AST, exc: str, tainted: set[str]) -> Iterator[ast.expr]:
    for inner in ast.walk(node):
        if isinstance(inner, ast.expr) and _is_leak(inner, exc, tainted):
            yield inner


def _is_leak(node: ast.expr, exc: str, tainted: set[str]) -> bool:
    """``str(exc)``, ``repr(exc)``, ``exc.args``, ``f"{exc}"``, ``"%s" % exc`` or a name
    already holding one of them."""
    if isinstance(node, ast.Name):
        return node.id in tainted
    if isinstance(node, ast.Call):
        text_of = isinstance(node.func, ast.Name) and node.func.id in _TEXT_OF
        return text_of and any(_is_name(arg, exc) for arg in node.args)
    if isinstance(node, ast.Attribute):
        return node.attr == "args" and _is_name(node.value, exc)
    if isinstance(node, ast.FormattedValue):
        return _is_name(node.value, exc)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        right = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        return any(_is_name(item, exc) for item in right)
    return False


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name
