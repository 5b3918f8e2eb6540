"""Words, numbers and the punctuation that carries structure, with offsets into the prompt.

Offsets let an unused part of the prompt be quoted back verbatim. Quotes, asterisks and other
decoration are dropped: ``**Book**`` and ``"Book"`` read as ``Book``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from deeprun.logic.offline_planner.lexicon import IRREGULAR_VERB_FORMS, NOUN_VERBS, VERBS

_TOKEN: Final = re.compile(
    r"(?P<abbr>\b(?:e\.g|i\.e|etc|vs)\.)"
    r"|(?P<word>[^\W\d_](?:\w|['\u2019-](?=[^\W_]))*)"
    r"|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<punct>[,;:()\[\]{}/|&=<>+\-\u2013\u2014])"
)
_DASHES: Final = {"\u2013": "-", "\u2014": "-"}
_BRACKETS: Final = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    low: str  # lower case, possessive "'s" dropped, dashes unified
    start: int
    end: int
    kind: str  # "word", "num" or "punct"

    @property
    def is_word(self) -> bool:
        return self.kind == "word"


def tokenize(text: str, offset: int = 0, limit: int = 400) -> tuple[Token, ...]:
    """The first ``limit`` tokens of ``text``; ``offset`` is where ``text`` starts in the prompt."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        raw = match.group()
        low = raw.lower().replace("\u2019", "'")
        if kind == "abbr":
            kind, low = "word", "etc"
        elif kind == "word" and low.endswith("'s"):
            low = low[:-2]
        tokens.append(
            Token(raw, _DASHES.get(low, low), offset + match.start(), offset + match.end(), kind)
        )
        if len(tokens) >= limit:
            break
    return tuple(tokens)


def closing(tokens: tuple[Token, ...], index: int) -> int:
    """Index of the bracket closing the one at ``index`` (or the end when it never closes)."""
    close = _BRACKETS[tokens[index].low]
    depth = 0
    for position in range(index, len(tokens)):
        low = tokens[position].low
        if low == tokens[index].low:
            depth += 1
        elif low == close:
            depth -= 1
            if depth == 0:
                return position
    return len(tokens)


def is_open_bracket(token: Token) -> bool:
    return token.low in _BRACKETS


def verb_base(word: str) -> str | None:
    """The base form when ``word`` is an inflection of a known verb (``placed`` → ``place``)."""
    if word in IRREGULAR_VERB_FORMS:
        return IRREGULAR_VERB_FORMS[word]
    for base in _candidate_bases(word):
        if base in VERBS or base in NOUN_VERBS:
            return base
    return None


def _candidate_bases(word: str) -> tuple[str, ...]:
    candidates = [word]
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("es"):
        candidates.append(word[:-2])
    if word.endswith("s"):
        candidates.append(word[:-1])
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            candidates += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])
            if suffix == "ed" and stem.endswith("i"):
                candidates.append(stem[:-1] + "y")
    return tuple(candidates)
