"""Project-wide rules that apply when the backend has auth: the JWT secret, password hashing
and the login rate limit. Each reads several modules, so each takes them all."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping, Sequence

from deeprun.contracts.gates import Failure
from deeprun.logic.architecture.code_ast import (
    Function,
    Source,
    identifiers,
    literal_bindings,
    package,
)
from deeprun.logic.architecture.rules import RULES

MIN_SECRET_LENGTH = 32
_VALIDATORS = frozenset({"model_validator", "field_validator"})
_DIGESTS = frozenset(
    f"hashlib.{name}"
    for name in "md5 sha1 sha224 sha256 sha384 sha512 sha3_256 sha3_512 blake2b blake2s new".split()
)
_SLOW_HASHES = ("argon2", "pwdlib", "bcrypt", "passlib")
_SLOW_HASHLIB = frozenset({"hashlib.scrypt", "hashlib.pbkdf2_hmac"})
_LIMITERS = ("limits", "slowapi", "fastapi_limiter", "pyrate_limiter")
_APP_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
_AUTH_MODULE = "app/modules/auth/"
_MAX_REEXPORTS = 3


def uses_jwt(sources: Sequence[Source]) -> bool:
    """Auth is on when the app's code refers to a ``jwt_secret`` setting."""
    return any("jwt_secret" in identifiers(source.nodes) for source in sources if source.in_app)


def jwt_secret_rules(sources: Sequence[Source]) -> Iterator[Failure]:
    """The settings class declaring ``jwt_secret`` must refuse one shorter than 32 characters."""
    rule = RULES["SEC.JWT_SECRET_UNVALIDATED"]
    declared = [(s, c) for s in sources if s.in_app for c in _classes(s) if _declares_secret(c)]
    if not declared:
        mentions = sorted(
            s.path for s in sources if s.in_app and "jwt_secret" in identifiers(s.nodes)
        )
        yield rule.failure("jwt_secret is used but no settings class declares it", mentions[0])
    for source, cls in declared:
        bounds = sorted(_length_bounds(source, cls))
        if any(bound >= MIN_SECRET_LENGTH for _, bound in bounds):
            continue
        if bounds:
            line, bound = bounds[0]
            message = f"{cls.name} accepts a JWT secret of {bound} characters"
        else:
            line, message = cls.lineno, f"{cls.name} never rejects a short JWT secret"
        yield rule.failure(message, source.path, line)


def _classes(source: Source) -> list[ast.ClassDef]:
    return [node for node in source.tree.body if isinstance(node, ast.ClassDef)]


def _declares_secret(cls: ast.ClassDef) -> bool:
    return any(
        isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "jwt_secret"
        for node in cls.body
    )


def _length_bounds(source: Source, cls: ast.ClassDef) -> Iterator[tuple[int, int]]:
    """(line, shortest length accepted) of each ``if len(x) < N: raise`` in a pydantic
    validator of the class or of a base class defined beside it."""
    constants = literal_bindings(source.tree.body)
    for method in _validators(source, cls, _classes(source)):
        for node in ast.walk(method):
            if not isinstance(node, ast.If) or not _raises(node.body):
                continue
            for compare in ast.walk(node.test):
                if isinstance(compare, ast.Compare):
                    bound = _shortest_accepted(compare, constants)
                    if bound is not None:
                        yield compare.lineno, bound


def _validators(
    source: Source,
    cls: ast.ClassDef,
    siblings: list[ast.ClassDef],
    seen: frozenset[str] = frozenset(),
) -> Iterator[Function]:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            _is_validator(source, decorator) for decorator in node.decorator_list
        ):
            yield node
    bases = {base.id for base in cls.bases if isinstance(base, ast.Name)} - seen
    for sibling in siblings:
        if sibling.name in bases:
            yield from _validators(source, sibling, siblings, seen | {cls.name})


def _is_validator(source: Source, decorator: ast.expr) -> bool:
    called = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = (source.name(called) or "").split(".")
    return name[0] == "pydantic" and name[-1] in _VALIDATORS


def _raises(body: list[ast.stmt]) -> bool:
    return any(isinstance(node, ast.Raise) for statement in body for node in ast.walk(statement))


def _shortest_accepted(compare: ast.Compare, constants: dict[str, object]) -> int | None:
    """``len(x) < N`` accepts N, ``len(x) <= N`` accepts N + 1; mirrored forms alike."""
    if len(compare.ops) != 1:
        return None
    left, op, right = compare.left, compare.ops[0], compare.comparators[0]
    if _is_len(right):
        left, right = right, left
        op = {ast.Gt: ast.Lt(), ast.GtE: ast.LtE()}.get(type(op), op)
    bound = _int_value(right, constants)
    if not _is_len(left) or bound is None or not isinstance(op, ast.Lt | ast.LtE):
        return None
    return bound + 1 if isinstance(op, ast.LtE) else bound


def _is_len(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"


def _int_value(node: ast.expr, constants: dict[str, object]) -> int | None:
    value = constants.get(node.id) if isinstance(node, ast.Name) else None
    if isinstance(node, ast.Constant):
        value = node.value
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def password_hashing_rules(sources: Sequence[Source]) -> Iterator[Failure]:
    """A fast digest of a password is brute-forced offline; only a slow hash will do."""
    rule = RULES["SEC.PASSWORD_HASHING"]
    for source in sources:
        for call in source.calls() if source.application else ():
            if source.name(call.func) in _DIGESTS and _mentions_password(call):
                message = f"{source.name(call.func)} hashes a password"
                yield rule.failure(message, source.path, call.lineno)
    app = [source for source in sources if source.in_app]
    if not any(source.imports_of(*_SLOW_HASHES) or _uses_slow_hashlib(source) for source in app):
        message = "no app module hashes passwords slowly (argon2, bcrypt, scrypt, pbkdf2)"
        yield rule.failure(message, _password_home([source.path for source in app]))


def _mentions_password(call: ast.Call) -> bool:
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(
        "password" in name.lower() for arg in arguments for name in identifiers(ast.walk(arg))
    )


def _uses_slow_hashlib(source: Source) -> bool:
    return any(source.name(node) in _SLOW_HASHLIB for node in source.nodes)


def _password_home(paths: Sequence[str]) -> str:
    """Where password hashing belongs: the security package, else the settings."""
    security = sorted(path for path in paths if path.startswith("app/security/"))
    if "app/security/passwords.py" in security:
        return "app/security/passwords.py"
    return security[0] if security else "app/config/settings.py"


def rate_limit_rules(sources: Sequence[Source], paths: Iterable[str]) -> Iterator[Failure]:
    """With auth, the app must add a middleware built on a limiter library, or its routes
    must use a limiter; otherwise login is open to password guessing."""
    app = [source for source in sources if source.in_app]
    if not any(path.startswith(_AUTH_MODULE) for path in paths) or any(map(_routes_limited, app)):
        return
    by_module = {source.module: source for source in sources}
    factories = [(source, lines[0]) for source in app if (lines := _app_creations(source))]
    message = "the app adds no rate-limit middleware in front of the login routes"
    if not factories:
        yield RULES["SEC.RATE_LIMIT_MISSING"].failure(message, "app/main.py")
    for source, line in factories:
        if not _adds_limiter(source, by_module):
            yield RULES["SEC.RATE_LIMIT_MISSING"].failure(message, source.path, line)


def _app_creations(source: Source) -> list[int]:
    """Lines where the module creates a FastAPI app, first first."""
    return sorted(call.lineno for call in source.calls() if source.name(call.func) in _APP_CLASSES)


def _adds_limiter(source: Source, by_module: Mapping[str, Source]) -> bool:
    return any(
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "add_middleware"
        and call.args
        and _is_limiter(source.name(call.args[0]) or "", source, by_module)
        for call in source.calls()
    )


def _is_limiter(name: str, home: Source, by_module: Mapping[str, Source], depth: int = 0) -> bool:
    """A class of a limiter library, or a project class whose module imports one (followed
    through re-exports such as a package ``__init__``)."""
    if package(name) in _LIMITERS:
        return True
    module_name, _, cls = name.rpartition(".")
    module = by_module.get(module_name) if module_name else home
    if module is None or depth > _MAX_REEXPORTS:
        return False
    if any(isinstance(node, ast.ClassDef) and node.name == cls for node in module.tree.body):
        return bool(module.imports_of(*_LIMITERS))
    reexported = module.imports.get(cls)
    return reexported is not None and _is_limiter(reexported, module, by_module, depth + 1)


def _routes_limited(source: Source) -> bool:
    """slowapi's ``@limiter.limit(...)`` or fastapi-limiter's ``Depends(RateLimiter(...))``."""
    if not source.imports_of(*_LIMITERS):
        return False
    decorated = any(
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ("limit", "shared_limit")
        for function in source.functions()
        for decorator in function.decorator_list
    )
    return decorated or any(_limiter_dependency(source, call) for call in source.calls())


def _limiter_dependency(source: Source, call: ast.Call) -> bool:
    return (source.name(call.func) or "").endswith("Depends") and any(
        isinstance(arg, ast.Call) and package(source.name(arg.func) or "") in _LIMITERS
        for arg in call.args
    )
