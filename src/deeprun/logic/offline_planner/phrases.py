"""The prompt as phrases: sentences, split again on semicolons and bullets.

A phrase is the unit the planner reports as ignored, so each keeps its verbatim text and where it
sits. A bullet remembers the line it hangs under (``parent``), so "Product:" followed by "- name"
and "- price" reads as one declaration.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

_BULLET: Final = re.compile(r"[ \t]*(?:[-*•+·]|\d{1,3}[.)]|[a-zA-Z]\))[ \t]+")
_HEADING: Final = re.compile(r"[ \t]*#{1,6}[ \t]+")
_ABBREVIATIONS: Final = frozenset({"e.g", "i.e", "etc", "vs", "eg", "ie", "approx", "incl", "no"})
_ENDS: Final = ".!?"


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    start: int
    bullet: bool
    parent: int | None  # the phrase a bullet hangs under
    indent: int


def split_phrases(prompt: str) -> tuple[Phrase, ...]:
    phrases: list[Phrase] = []
    heading: int | None = None
    stack: list[tuple[int, int]] = []  # (indent, phrase index) of open bullets
    for line, start in _lines(prompt):
        marker = _BULLET.match(line)
        bullet = marker is not None
        skip = marker.end() if marker else _skip_heading(line)
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = (stack[-1][1] if stack else heading) if bullet else None
        first = len(phrases)
        for text, at in _sentences(line[skip:], start + skip):
            phrases.append(Phrase(text, at, bullet, parent, indent))
        if len(phrases) == first:
            continue
        if bullet:
            stack.append((indent, first))
        else:
            heading, stack = len(phrases) - 1, []
    return tuple(phrases)


def _skip_heading(line: str) -> int:
    match = _HEADING.match(line)
    return match.end() if match else 0


def _lines(prompt: str) -> Iterator[tuple[str, int]]:
    start = 0
    for line in prompt.splitlines(keepends=True):
        yield line.rstrip("\r\n"), start
        start += len(line)


def _sentences(line: str, offset: int) -> Iterator[tuple[str, int]]:
    depth, begin = 0, 0
    for index, char in enumerate(line):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif depth == 0 and (char == ";" or (char in _ENDS and _ends_sentence(line, index))):
            yield from _trimmed(line, begin, index + (char != ";"), offset)
            begin = index + 1
    yield from _trimmed(line, begin, len(line), offset)


def _ends_sentence(line: str, index: int) -> bool:
    after = line[index + 1 : index + 2]
    if after and not after.isspace():
        return False
    if line[index] != ".":
        return True
    word = line[:index].rsplit(None, 1)[-1].lower() if line[:index].strip() else ""
    following = line[index + 1 :].lstrip()[:1]
    return not (word.strip("(") in _ABBREVIATIONS and following.islower())


def _trimmed(line: str, begin: int, end: int, offset: int) -> Iterator[tuple[str, int]]:
    piece = line[begin:end]
    text = piece.strip()
    if any(char.isalnum() for char in text):
        yield text, offset + begin + (len(piece) - len(piece.lstrip()))
