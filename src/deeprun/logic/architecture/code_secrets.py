"""SEC.HARDCODED_SECRET: credentials written into the code instead of read from Settings.

A literal counts when a secret-sounding name receives it, when it is given to ``SecretStr``,
or when it has the shape of a real provider key wherever it appears. Literals that only name
something (an env var, a column, a token type, a route, a message) are not secrets.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from deeprun.contracts.gates import Failure
from deeprun.logic.architecture.code_ast import Source, assignment
from deeprun.logic.architecture.rules import RULES

_SECRET_WORDS = (
    "secret",
    "password",
    "passwd",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "access_key",
)
_MIN_LENGTH = 8
_TOKEN_TYPES = frozenset({"access", "refresh", "bearer", "basic", "access_token", "refresh_token"})
# ENV_VAR_NAMES and snake_case.or.dotted_names: literals that name a setting or a column.
_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*|[a-z]+(?:[._][a-z]+)+")
_CREDENTIALED_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/@\s]*:[^/@\s]+@")
_KEY_SHAPES = re.compile(
    r"(?<![\w-])(?:"
    r"sk-(?:proj-)?[A-Za-z0-9]{20,}"  # OpenAI
    r"|sk_live_[A-Za-z0-9]{20,}"  # Stripe
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}"  # GitHub
    r"|AKIA[0-9A-Z]{16}"  # AWS access key id
    r"|xox[abpsr]-[A-Za-z0-9-]{10,}"  # Slack
    r"|AIza[0-9A-Za-z_-]{35}"  # Google
    r")|-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"
)
_ENV_READS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})
_SECRET_TYPES = ("SecretStr", "SecretBytes")


def hardcoded_secrets(source: Source) -> Iterator[Failure]:
    if not source.application:
        return
    for node in source.nodes:
        for name, value in _named_values(source, node):
            if _secret_name(name) and _secret_value(value):
                yield _failure(source, f"{name} is given a literal secret", value.lineno)
        if isinstance(node, ast.Call):
            yield from _secret_calls(source, node)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _KEY_SHAPES.search(node.value)
        ):
            yield _failure(source, "a string has the shape of a real key", node.lineno)


def _named_values(source: Source, node: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    """(name, value) pairs a node binds: assignments, keyword arguments, dict entries."""
    target, value = assignment(node)
    if target is not None and value is not None:
        name = _target_name(target)
        if name is not None:
            yield name, _field_default(source, value)
    elif isinstance(node, ast.keyword) and node.arg is not None:
        yield node.arg, node.value
    elif isinstance(node, ast.Dict):
        for key, item in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value, item


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        key = target.slice.value
        return key if isinstance(key, str) else None
    return None


def _field_default(source: Source, value: ast.expr) -> ast.expr:
    """``api_key: str = Field("...")`` gives its default as plainly as ``= "..."``."""
    if isinstance(value, ast.Call) and (source.name(value.func) or "").endswith("Field"):
        defaults = [*value.args[:1], *(k.value for k in value.keywords if k.arg == "default")]
        if defaults:
            return defaults[0]
    return value


def _secret_calls(source: Source, call: ast.Call) -> Iterator[Failure]:
    """``SecretStr("...")``, and ``os.getenv("API_TOKEN", "...")`` falling back to a secret."""
    name = source.name(call.func) or ""
    args = call.args
    if name.rsplit(".", 1)[-1] in _SECRET_TYPES and args and _non_empty(args[0]):
        yield _failure(source, f"{name} is built from a literal", call.lineno)
    elif name in _ENV_READS and len(args) >= 2 and isinstance(args[0], ast.Constant):
        variable = str(args[0].value)
        if _secret_name(variable) and _secret_value(args[1]):
            yield _failure(source, f"{variable} falls back to a literal secret", call.lineno)


def _secret_name(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def _secret_value(node: ast.expr) -> bool:
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str | bytes):
        return False
    value = node.value.decode(errors="replace") if isinstance(node.value, bytes) else node.value
    if len(value) < _MIN_LENGTH or any(char.isspace() for char in value):
        return False  # too short to be a credential, or a message
    if "://" in value:
        return _CREDENTIALED_URL.match(value) is not None
    return not (value.startswith("/") or value.lower() in _TOKEN_TYPES or _NAME.fullmatch(value))


def _non_empty(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, str | bytes) and bool(node.value)
    )


def _failure(source: Source, message: str, line: int) -> Failure:
    return RULES["SEC.HARDCODED_SECRET"].failure(message, source.path, line)
