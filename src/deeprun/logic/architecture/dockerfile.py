"""The Dockerfile rules: the image's final stage runs unprivileged and declares a health check.

They read instructions, never raw text, so a commented-out ``# USER app`` or a heredoc line
satisfies nothing. The parser handles all that decides where an instruction is: parser
directives (``# escape=`` can make the backtick the continuation character), comments,
continuation lines, heredocs and stages. A stage built ``FROM`` an earlier stage inherits its
USER and HEALTHCHECK, as Docker does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from deeprun.contracts.gates import Failure
from deeprun.logic.architecture.rules import RULES

_DIRECTIVE = re.compile(r"#\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*?)\s*")
_HEREDOC = re.compile(r"(?:^|\s)<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_ROOT_USERS = frozenset({"root", "0"})


@dataclass(frozen=True, slots=True)
class Instruction:
    keyword: str  # upper case: FROM, USER, HEALTHCHECK, ...
    arguments: str
    line: int  # where the instruction starts, from 1


@dataclass(frozen=True, slots=True)
class Stage:
    from_line: int | None  # None for a Dockerfile without FROM
    base: str  # the image or earlier stage it starts from, lower case
    name: str | None  # its `AS` name, lower case
    instructions: tuple[Instruction, ...]


def parse(text: str) -> tuple[Instruction, ...]:
    lines = text.splitlines()
    escape, start = _directives(lines)
    return tuple(_instructions(lines, start, escape))


def stages(instructions: Sequence[Instruction]) -> tuple[Stage, ...]:
    """Each FROM and what follows it; instructions before the first FROM belong to none."""
    found: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            words = [w for w in instruction.arguments.split() if not w.startswith("--")]
            named = len(words) >= 3 and words[1].upper() == "AS"
            base = words[0].lower() if words else ""
            found.append(Stage(instruction.line, base, words[2].lower() if named else None, ()))
        elif found:
            last = found[-1]
            found[-1] = Stage(
                last.from_line, last.base, last.name, (*last.instructions, instruction)
            )
    return tuple(found)


def dockerfile_rules(text: str, path: str = "Dockerfile") -> tuple[Failure, ...]:
    """DOCKER.ROOT_USER and DOCKER.NO_HEALTHCHECK findings, at the line to change."""
    built = stages(parse(text))
    final = built[-1] if built else Stage(None, "", None, ())
    inherited = _lineage(built[:-1], final)
    return tuple(
        failure
        for failure in (_user_rule(final, inherited, path), _health_rule(final, inherited, path))
        if failure is not None
    )


def _user_rule(final: Stage, inherited: Sequence[Instruction], path: str) -> Failure | None:
    rule = RULES["DOCKER.ROOT_USER"]
    users = [i for i in inherited if i.keyword == "USER"]
    if not users:
        return rule.failure(
            "The final stage sets no USER, so the container runs as root.", path, final.from_line
        )
    user = users[-1]
    name = user.arguments.split(":", 1)[0].strip().lower()
    if name in _ROOT_USERS:
        return rule.failure(
            f"The final stage runs as root (USER {user.arguments}).", path, user.line
        )
    return None


def _health_rule(final: Stage, inherited: Sequence[Instruction], path: str) -> Failure | None:
    rule = RULES["DOCKER.NO_HEALTHCHECK"]
    checks = [i for i in inherited if i.keyword == "HEALTHCHECK"]
    if not checks:
        return rule.failure("The final stage declares no HEALTHCHECK.", path, final.from_line)
    words = [w for w in checks[-1].arguments.split() if not w.startswith("--")]
    if words and words[0].upper() == "NONE":
        return rule.failure(
            "The final stage turns its health check off (HEALTHCHECK NONE).", path, checks[-1].line
        )
    return None


def _lineage(earlier: Sequence[Stage], stage: Stage) -> tuple[Instruction, ...]:
    """The stage's instructions after those of the earlier stages it is built FROM."""
    for index in range(len(earlier) - 1, -1, -1):
        if earlier[index].name == stage.base:
            return (*_lineage(earlier[:index], earlier[index]), *stage.instructions)
    return stage.instructions


def _directives(lines: Sequence[str]) -> tuple[str, int]:
    """The escape character, and the index of the first line after the parser directives."""
    escape = "\\"
    for index, line in enumerate(lines):
        match = _DIRECTIVE.fullmatch(line.strip())
        if match is None:
            return escape, index
        if match[1].lower() == "escape" and match[2] in ("\\", "`"):
            escape = match[2]
    return escape, len(lines)


def _instructions(lines: Sequence[str], start: int, escape: str) -> Iterator[Instruction]:
    index = start
    while index < len(lines):
        text, index = _content(lines, index)
        line = index  # the number, from 1, of the line just read
        while text.endswith(escape):  # comment and blank lines inside a continuation drop out
            following, index = _content(lines, index)
            text = f"{text[: -len(escape)].rstrip()} {following}".rstrip()
        if not text:
            continue
        keyword, *arguments = text.split(None, 1)
        if keyword.upper() in ("RUN", "COPY", "ADD"):
            index = _skip_heredocs(lines, index, text)
        yield Instruction(keyword.upper(), "".join(arguments), line)


def _content(lines: Sequence[str], index: int) -> tuple[str, int]:
    """The next line that is neither blank nor a comment ("" at the end), and the index after."""
    while index < len(lines):
        text = lines[index].strip()
        index += 1
        if text and not text.startswith("#"):
            return text, index
    return "", index


def _skip_heredocs(lines: Sequence[str], index: int, text: str) -> int:
    """The index after the bodies of the instruction's heredocs, each up to its delimiter."""
    for marker in _HEREDOC.finditer(text):
        while index < len(lines):
            body = lines[index].lstrip("\t") if marker[1] else lines[index]
            index += 1
            if body == marker[3]:
                break
    return index
