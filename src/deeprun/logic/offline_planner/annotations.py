"""What a prompt says about one field after its name.

"(decimal)", ": draft, published", "one of low, medium or high", "up to 200 characters",
"between 1 and 5", "in minutes", "(unique, optional)", "defaults to draft", "who is also an
employee": each becomes a note on the item; words that fit no note are passed over.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

from deeprun.logic.offline_planner.field_types import is_unit, stated_kind
from deeprun.logic.offline_planner.nouns import Tokens, noun_at
from deeprun.logic.offline_planner.tokens import closing, is_open_bracket

_FLAGS: Final = {
    "unique": "unique", "optional": "optional", "nullable": "optional", "required": "required",
    "mandatory": "required", "distinct": "unique",
}  # fmt: skip
_UPPER: Final = (("up", "to"), ("at", "most"), ("no", "more", "than"), ("max",), ("maximum",),
                 ("less", "than"), ("under",), ("<",), ("<", "="))  # fmt: skip
_LOWER: Final = (("at", "least"), ("min",), ("minimum",), ("more", "than"), (">",), (">", "="))
_CHARACTERS: Final = frozenset({"characters", "character", "chars", "char", "letters", "symbols"})
_YES_NO: Final = frozenset({"yes", "no", "true", "false", "y", "n"})
_PART_SEPARATORS: Final = frozenset({",", "/", "|", ";", "or", "and"})


@dataclass(frozen=True, slots=True)
class Notes:
    type_word: str | None = None
    values: tuple[str, ...] = ()
    open_values: bool = False  # later list items may still be values ("status: a, b, c")
    flags: frozenset[str] = frozenset()
    low: float | None = None
    high: float | None = None
    characters: bool = False  # the limits count characters
    default: str | None = None
    unit: str | None = None
    refers: tuple[str, ...] | None = None  # "who is also an employee" → ("employee",)
    boolean: bool = False  # "yes/no"

    @property
    def is_empty(self) -> bool:
        return self == Notes()

    def merged(self, other: Notes) -> Notes:
        """This item's notes completed by a trailing "(unique)" or ", optional"."""
        return replace(
            self,
            type_word=self.type_word or other.type_word,
            values=self.values or other.values,
            flags=self.flags | other.flags,
            low=self.low if self.low is not None else other.low,
            high=self.high if self.high is not None else other.high,
            characters=self.characters or other.characters,
            default=self.default or other.default,
            unit=self.unit or other.unit,
            refers=self.refers or other.refers,
            boolean=self.boolean or other.boolean,
        )


@dataclass(slots=True)
class _Draft:
    notes: Notes = field(default_factory=Notes)

    def set(self, **changes: object) -> None:
        self.notes = replace(self.notes, **changes)  # type: ignore[arg-type]


def read_notes(tokens: Tokens, index: int, end: int) -> Notes:
    draft = _Draft()
    while index < end:
        index = _step(tokens, index, end, draft)
    return draft.notes


def _step(tokens: Tokens, index: int, end: int, draft: _Draft) -> int:
    """Read one note at ``index``; return where the next one may start."""
    low = tokens[index].low
    nxt = tokens[index + 1].low if index + 1 < end else ""
    if is_open_bracket(tokens[index]):
        close = min(closing(tokens, index), end)
        draft.notes = draft.notes.merged(_bracket(tokens, index + 1, close))
        return close + 1
    if low in (":", "=") or (low == "one" and nxt == "of") or low == "either":
        return _values(tokens, index + (2 if low == "one" else 1), end, draft)
    if low in ("can", "could", "may") and nxt == "be":
        return _values(tokens, index + 2, end, draft)
    limit = _limit(tokens, index, end, draft)
    if limit:
        return limit
    if low in _FLAGS:
        draft.set(flags=draft.notes.flags | {_FLAGS[low]})
    elif low == "not" and nxt in ("required", "mandatory"):
        draft.set(flags=draft.notes.flags | {"optional"})
        return index + 2
    elif low in ("default", "defaults") and index + 1 < end:
        return _default(tokens, index + 1, end, draft)
    elif low in ("is", "are") and nxt not in _FLAGS:
        return _refers(tokens, index + 1, end, draft)
    elif low == "in" and is_unit(nxt):
        draft.set(unit=nxt)
        return index + 2
    elif is_unit(low) and tokens[index - 1].kind == "num":
        draft.set(unit=low)
    elif draft.notes.type_word is None and stated_kind(low, loose=True) is not None:
        draft.set(type_word=low)
    elif low in _YES_NO and nxt == "/":
        draft.set(boolean=True)
    return index + 1


def _values(tokens: Tokens, index: int, end: int, draft: _Draft) -> int:
    """``: draft``, ``one of low``: a stated type, or the first enum values of an open list."""
    if index < end and stated_kind(tokens[index].low, loose=True) is not None:
        draft.set(type_word=tokens[index].low)
        return index + 1
    values = _parts(tokens, index, end)
    if values:
        draft.set(values=(*draft.notes.values, *values), open_values=True)
    return end


def _parts(tokens: Tokens, index: int, end: int) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    for token in tokens[index:end]:
        if token.low in _PART_SEPARATORS:
            if current:
                parts.append(" ".join(current))
            current = []
        elif token.is_word and token.low not in ("e.g", "etc", "a", "an", "the"):
            current.append(token.text)
    if current:
        parts.append(" ".join(current))
    return parts


def _bracket(tokens: Tokens, start: int, end: int) -> Notes:
    """``(decimal)``, ``(low, medium, high)``, ``(unique, max 50)``, ``(yes/no)``, ``(a user)``."""
    draft = _Draft()
    candidates: list[str] = []
    spans = _part_spans(tokens, start, end)
    if len(spans) >= 2 and all(_is_value_part(tokens, a, b) for a, b in spans):
        values = [" ".join(t.text for t in tokens[a:b]) for a, b in spans]
        if {v.lower() for v in values} <= _YES_NO:
            return Notes(boolean=True)
        return Notes(values=tuple(values))
    for part_start, part_end in spans:
        words = [t.low for t in tokens[part_start:part_end]]
        kind = stated_kind(words[0], loose=True) if len(words) == 1 else None
        if len(words) == 1 and words[0] in _YES_NO:
            candidates.append(words[0])
        elif kind is not None:
            draft.set(type_word=draft.notes.type_word or words[0])
        elif words[0] in ("a", "an") and len(words) > 1:
            _refers(tokens, part_start, part_end, draft)
        elif _is_value_part(tokens, part_start, part_end):
            candidates.append(" ".join(t.text for t in tokens[part_start:part_end]))
        else:
            draft.notes = draft.notes.merged(read_notes(tokens, part_start, part_end))
    if candidates and {c.lower() for c in candidates} <= _YES_NO:
        draft.set(boolean=True)
    elif len(candidates) >= 2:
        draft.set(values=tuple(candidates))
    return draft.notes


def field_annotation(tokens: Tokens, start: int, end: int) -> Notes | None:
    """The notes of a bracket that only says what a field is: a stated type, maybe with flags
    and limits ("(decimal)", "(integer, unique)", "(integer 1-5)", "(yes/no)"). None when a part
    of it is a name, as in "(title, isbn)", an entity's own list of fields."""
    spans = _part_spans(tokens, start, end)
    if not spans or not all(_is_note(tokens, a, b) for a, b in spans):
        return None
    notes = _bracket(tokens, start, end)
    return notes if (notes.type_word is not None and not notes.values) or notes.boolean else None


def _is_note(tokens: Tokens, start: int, end: int) -> bool:
    """A part of a bracket that states a type, a flag, a limit or a default, never a name."""
    low = tokens[start].low
    if stated_kind(low, loose=True) is not None or low in _FLAGS or low in _YES_NO:
        return True
    return low in ("default", "defaults", "not") or _limit(tokens, start, end, _Draft()) > 0


def _part_spans(tokens: Tokens, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    begin = start
    for index in range(start, end + 1):
        if index == end or tokens[index].low in _PART_SEPARATORS:
            if index > begin:
                spans.append((begin, index))
            begin = index + 1
    return spans


def _is_value_part(tokens: Tokens, start: int, end: int) -> bool:
    words = tokens[start:end]
    return (
        len(words) <= 3
        and all(t.is_word for t in words)
        and not any(t.low in _FLAGS or is_unit(t.low) for t in words)
        and words[0].low not in ("e.g", "etc", "default", "max", "min", "in", "up", "at")
    )


def _limit(tokens: Tokens, index: int, end: int, draft: _Draft) -> int:
    """Limits: "up to 200 characters", "at least 8", "between 1 and 5", "1-5", "from 0 to 10"."""
    number = _number_after(tokens, index, end, _UPPER)
    if number:
        value, after = number
        draft.set(high=value, characters=draft.notes.characters or _chars(tokens, after, end))
        return after
    number = _number_after(tokens, index, end, _LOWER)
    if number:
        value, after = number
        draft.set(low=value, characters=draft.notes.characters or _chars(tokens, after, end))
        return after
    span = _range(tokens, index, end)
    if span:
        low, high, after = span
        draft.set(low=low, high=high, characters=_chars(tokens, after, end))
        return after
    if tokens[index].kind == "num" and _chars(tokens, index + 1, end):
        draft.set(high=float(tokens[index].low), characters=True)
        return index + 2
    return 0


def _number_after(
    tokens: Tokens, index: int, end: int, phrases: tuple[tuple[str, ...], ...]
) -> tuple[float, int] | None:
    for words in phrases:
        after = index + len(words)
        matches = after < end and tuple(t.low for t in tokens[index:after]) == words
        if matches and tokens[after].kind == "num":
            return float(tokens[after].low), after + 1
    return None


def _range(tokens: Tokens, index: int, end: int) -> tuple[float, float, int] | None:
    window = [t.low for t in tokens[index : min(index + 4, end)]]
    kinds = [t.kind for t in tokens[index : min(index + 4, end)]]
    spoken = (
        len(window) >= 4 and window[0] in ("between", "from") and window[2] in ("and", "to", "-")
    )
    if spoken and kinds[1] == kinds[3] == "num":
        return float(window[1]), float(window[3]), index + 4
    if len(window) >= 3 and kinds[0] == kinds[2] == "num" and window[1] in ("-", "to"):
        return float(window[0]), float(window[2]), index + 3
    return None


def _chars(tokens: Tokens, index: int, end: int) -> bool:
    return index < end and tokens[index].low in _CHARACTERS


def _default(tokens: Tokens, index: int, end: int, draft: _Draft) -> int:
    while index < end and tokens[index].low in ("to", "is", ":", "=", "of", "value"):
        index += 1
    if index < end and tokens[index].kind in ("word", "num"):
        draft.set(default=tokens[index].text)
        return index + 1
    return index


def _refers(tokens: Tokens, index: int, end: int, draft: _Draft) -> int:
    """``is also an employee``, ``(a user)``: the item points at another entity."""
    while index < end and tokens[index].low in ("also", "always", "itself"):
        index += 1
    if index < end and tokens[index].low in ("a", "an", "another", "the"):
        found = noun_at(tokens, index, end)
        if found is not None:
            draft.set(refers=found[0].words)
            return found[1]
    return index
