"""Drops the imports a rendered module never uses and sorts the rest as ruff's isort does.

Templates import a superset: what a module needs depends on the spec (a `Decimal` field, a
search, an owner). Leaving the cleanup to ruff's `--fix` cost a second lint pass over every
fixed file, the largest stage of a compile; this pass does it with a text search per name.

It is conservative: an import stays when its name appears below the import block other than
as an attribute (`response.json`), a call's keyword (`f(json=...)`) or a string key (`"uuid":`),
even in a string or a comment, so it can keep an unused import (ruff's pass, still run after
this one, removes it) but never drops a used one. The block ends at the first line that is not
an import; a group of imports (lines between blank ones) holding a comment or an unusual form
is kept as written.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

LINE_LENGTH: Final = 100  # the generated pyproject.toml's [tool.ruff] line-length

_FROM: Final = re.compile(r"from ([\w.]+) import ([\w, ]+)")
_FROM_OPEN: Final = re.compile(r"from ([\w.]+) import \(")
_IMPORT: Final = re.compile(r"import ([\w.]+(?: as \w+)?)")
_DIGITS: Final = re.compile(r"(\d+)")
_INDENT: Final = 120  # blanks looked through before a keyword: a line break and its indent
_KEYS: Final = 4096  # sort keys kept: the same names recur in every module of a project


@dataclass(frozen=True, slots=True)
class _Import:
    module: str
    members: tuple[str, ...]  # "name" or "name as alias"; empty for `import module`
    expanded: bool  # written one member per line with a trailing comma, which ruff keeps

    @property
    def straight_name(self) -> str:
        """The name `import a.b` (``a``) or `import a as b` (``b``) binds."""
        name, _, alias = self.module.partition(" as ")
        return alias or name.split(".")[0]

    def render(self) -> list[str]:
        if not self.members:
            return [f"import {self.module}"]
        line = f"from {self.module} import {', '.join(self.members)}"
        if not self.expanded and len(line) <= LINE_LENGTH:
            return [line]
        return [f"from {self.module} import (", *(f"    {m}," for m in self.members), ")"]


def prune(source: str) -> str:
    """The module with the unused names of its top import block removed, the rest sorted."""
    if "__all__" in source:
        return source  # names re-exported by string ("Foo" in a list) look like unused ones
    lines = source.split("\n")
    start = _block_start(lines)
    end = start
    groups: list[list[list[str]]] = [[]]
    while end < len(lines):
        line = lines[end]
        if not line:
            groups.append([])
            end += 1
            continue
        if not line.startswith(("import ", "from ")):
            break
        last = end
        if line.endswith("("):
            try:
                last = lines.index(")", end)
            except ValueError:
                break  # an import left open: the block ends before it
        groups[-1].append(lines[end : last + 1])
        end = last + 1
    body = "\n".join(lines[end:])
    block: list[str] = []
    for group in (g for g in groups if g):
        kept = _group(group, body)
        if kept:
            block.extend(["", *kept] if block else kept)
    if not block:
        return "\n".join([*lines[:start], *lines[_blank_before(lines, end) if start else end :]])
    gap = [""] if not lines[start] else []
    return "\n".join([*lines[:start], *gap, *block, *lines[_blank_before(lines, end) :]])


def _group(statements: list[list[str]], body: str) -> list[str]:
    """A group's lines with unused names removed, sorted; as written if any line is unusual."""
    parsed = [_parse(statement) for statement in statements]
    understood = [imported for imported in parsed if imported is not None]
    if len(understood) < len(parsed):
        return [line for statement in statements for line in statement]
    kept: list[_Import] = []
    for imported in understood:
        if imported.module == "__future__":
            kept.append(imported)
        elif not imported.members:
            if _used(imported.straight_name, body):
                kept.append(imported)
        else:
            members = tuple(m for m in imported.members if _used(_alias(m), body))
            if members:
                ordered = tuple(sorted(members, key=_member_key))
                kept.append(_Import(imported.module, ordered, imported.expanded))
    kept.sort(key=_statement_key)
    return [line for imported in kept for line in imported.render()]


def _parse(statement: list[str]) -> _Import | None:
    if "#" in "".join(statement):
        return None
    if len(statement) > 1:
        head = _FROM_OPEN.fullmatch(statement[0])
        members = [m for line in statement[1:-1] for m in line.strip().rstrip(",").split(", ")]
        return _Import(head.group(1), tuple(members), expanded=True) if head else None
    found = _FROM.fullmatch(statement[0])
    if found:
        return _Import(found.group(1), tuple(found.group(2).split(", ")), expanded=False)
    found = _IMPORT.fullmatch(statement[0])
    return _Import(found.group(1), (), expanded=False) if found else None


def _used(name: str, body: str) -> bool:
    """Whether ``name`` occurs in ``body`` as a name: not inside a longer word, not as an
    attribute (`response.json`), a call's keyword (`f(json=...)`) or a string key (`"uuid":`,
    `['uuid']`). Found with `str.find`: a regular expression over every module took longer."""
    at = body.find(name)
    while at != -1:
        end = at + len(name)
        before = body[at - 1] if at else " "
        after = body[end : end + 2]
        word = before.isalnum() or before in "._" or after[:1].isalnum() or after[:1] == "_"
        keyword = after[:1] == "=" and after != "==" and _opens_argument(body, at)
        key = before in "\"'" and after[:1] == before and body[end + 1 : end + 2] in (":", "]")
        if not (word or keyword or key):
            return True
        at = body.find(name, end)
    return False


def _opens_argument(body: str, at: int) -> bool:
    """Whether the text before ``at`` ends, blanks aside, with the `(` or `,` of a call."""
    return body[max(0, at - _INDENT) : at].rstrip()[-1:] in ("(", ",")


def _alias(member: str) -> str:
    name, _, alias = member.partition(" as ")
    return alias or name


@functools.lru_cache(maxsize=_KEYS)
def _natural(text: str) -> tuple[str | int, ...]:
    """Numbers inside names compared as numbers (item2 before item10), as ruff does."""
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text))


def _statement_key(imported: _Import) -> tuple[object, ...]:
    """`__future__` first, then `import x` before `from x import`, by module, case folded."""
    module = imported.module.partition(" as ")[0]
    first = _member_key(imported.members[0]) if imported.members else ()
    return (
        imported.module != "__future__",
        bool(imported.members),
        _natural(module.lower()),
        _natural(module),
        first,
    )


@functools.lru_cache(maxsize=_KEYS)
def _member_key(member: str) -> tuple[object, ...]:
    """CONSTANTS, then Classes, then everything else, each case folded (ruff's order-by-type)."""
    name = member.partition(" as ")[0]
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, _natural(name.lower()), _natural(member))


def _block_start(lines: list[str]) -> int:
    """The first line after the module docstring (0 when there is none)."""
    head = lines[0].lstrip() if lines else ""
    quote = head[:3]
    if quote not in ('"""', "'''"):
        return 0
    if head.count(quote) >= 2:
        return 1
    for number in range(1, len(lines)):
        if quote in lines[number]:
            return number + 1
    return 0


def _blank_before(lines: list[str], end: int) -> int:
    """Where the blank lines that close the import block begin."""
    while end > 0 and not lines[end - 1]:
        end -= 1
    return end
