"""Lists of items: "a title, a body and a publish date", "books (title, isbn) and authors".

An item is a name plus what the prompt says about it: a stated type, enum values, flags
(unique, optional), limits, a unit, the entity it refers to ("a manager who is also an
employee"), and, for an item that declares an entity, its own list of fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

from deeprun.logic.naming import singularize
from deeprun.logic.offline_planner.annotations import Notes, field_annotation, read_notes
from deeprun.logic.offline_planner.field_types import (
    LOOSE_STATED,
    STRING,
    infer_kind,
    stated_kind,
)
from deeprun.logic.offline_planner.lexicon import DETERMINERS, FIELD_NAMES, MANY, RELATIVES
from deeprun.logic.offline_planner.nouns import (
    QUANTIFIER_PHRASES,
    Noun,
    Tokens,
    noun_at,
    phrase_at,
    word_class,
)
from deeprun.logic.offline_planner.tokens import closing, is_open_bracket

_JOINERS: Final = frozenset({",", ";", "and", "or", "&", "+", "plus"})
_FLAG_WORDS: Final = {
    "unique": "unique", "optional": "optional", "nullable": "optional", "required": "required",
    "mandatory": "required",
}  # fmt: skip
_NAME_STOPS: Final = frozenset(
    {
        ":", "=", "-", "which", "that", "who", "whose", "up", "max", "maximum", "min", "minimum",
        "between", "from", "as", "either", "default", "defaults", "must", "should", "can", "may",
        "will", "is", "are", "etc", "like", "such", "with", "to", "by", "for", "in", "per",
        "e.g", "including", "where", "when", "if", "but", "not", "no", "having", "at", "on",
    }
)  # fmt: skip
_BOUNDS: Final = frozenset({"max", "maximum", "min", "minimum"})
_NAME_TAILS: Final = frozenset({"at", "on"})  # "starts at", "published on"
_DISTRIBUTED: Final = frozenset(
    "first last middle start end begin min max minimum maximum home work mobile billing "
    "shipping opening closing pickup dropoff primary secondary check-in check-out".split()
)
_DECLARES: Final = frozenset({"with", "having", "including", "containing", ":", "-", "="})
_EACH: Final = frozenset({"each", "every"})
_HAVE: Final = frozenset({"have", "has"})
_NESTING: Final = _HAVE | {"with", "having"}  # what opens fields of a plural inside a field list
_MAX_NAME_WORDS: Final = 5
# Type words that are also the natural end of a name: "publish date" is a date named so.
_NAME_TYPE_WORDS: Final = frozenset({"date", "text", "email", "e-mail", "url", "uri"})
# Stated types that are as often a field's whole name: "(date)" may be the list of one field.
_NAMING_TYPES: Final = _NAME_TYPE_WORDS | frozenset(LOOSE_STATED)
_TAIL_TYPES: Final = frozenset({"date", "time", "timestamp", "datetime", "date-time"})
_LINKING: Final = frozenset("to with in on for from at under by of inside within".split())
# A list item opening so points at another entity: "..., each in a ward, for a patient".
_LINK_OPENERS: Final = frozenset("each every for from to under within inside".split())
LINK: Final = "link"  # the flag of such an item: a relation when it names an entity, else nothing
PARTY: Final = "party"  # "(appointments) with doctors": one of them per row, an entity


@dataclass(frozen=True, slots=True)
class Item:
    words: tuple[str, ...]
    count: str  # "many", "one" or ""
    article: str
    start: int  # offsets in the prompt
    end: int
    notes: Notes = field(default_factory=Notes)
    fields: tuple[Item, ...] | None = None  # set when the item declares an entity

    @property
    def noun(self) -> Noun:
        return Noun(self.words, self.count, self.article, self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Segment:
    start: int  # token indices
    end: int
    joiner: str  # the separator before it: "", ",", "and", "or", ", and"...


def split_list(tokens: Tokens, start: int, end: int) -> tuple[_Segment, ...]:
    """Top-level items between ``start`` and ``end``: commas, "and", "or", never in brackets."""
    segments: list[_Segment] = []
    joiner, begin, index = "", start, start
    while index < end:
        low = tokens[index].low
        if is_open_bracket(tokens[index]):
            index = min(closing(tokens, index), end - 1) + 1
            continue
        if low in _JOINERS and not _binds(tokens, index, start):
            if index > begin:
                segments.append(_Segment(begin, index, joiner))
                joiner = ""
            joiner = f"{joiner} {low}".strip() if low not in (",", ";") or not joiner else joiner
            begin = index + 1
        index += 1
    if end > begin:
        segments.append(_Segment(begin, end, joiner))
    return tuple(segments)


def _binds(tokens: Tokens, index: int, floor: int) -> bool:
    """``date and time``, ``between 1 and 5``, ``one or more``, ``and/or`` stay together."""
    low = tokens[index].low
    before = tokens[index - 1].low if index > floor else ""
    after = tokens[index + 1].low if index + 1 < len(tokens) else ""
    if low == "and" and before == "date" and after == "time":
        return True
    if low == "and" and index - 2 >= floor and tokens[index - 2].low == "between":
        return True
    return (low == "or" and before in ("one", "zero")) or after == "/"


def field_items(tokens: Tokens, start: int, end: int) -> tuple[Item, ...]:
    items: list[Item] = []
    open_values = False
    segments = split_list(tokens, start, end)
    taken = start  # where the fields of a nested declaration ended
    for position, segment in enumerate(segments):
        if segment.start < taken:
            continue
        links = _links(tokens, segment)
        if links:
            items.extend(links)
            open_values = False
            continue
        nested = _nested(tokens, segment, end)
        if nested is not None:
            items.append(nested[0])
            taken, open_values = nested[1], False
            continue
        if open_values and items and _is_value(tokens, segment):
            items[-1] = _with_value(items[-1], tokens, segment)
            open_values = "or" not in segment.joiner and "and" not in segment.joiner
            continue
        item = _field_item(tokens, segment.start, segment.end)
        if item is None:
            open_values = False
            continue
        if not item.words and items:
            items[-1] = replace(items[-1], notes=items[-1].notes.merged(item.notes))
            continue
        following = segments[position + 1] if position + 1 < len(segments) else None
        items.append(_distributed(item, tokens, segment, following))
        open_values = item.notes.open_values
    return tuple(i for i in items if i.words)


def _nested(tokens: Tokens, segment: _Segment, end: int) -> tuple[Item, int] | None:
    """ "(each order has) line items with a quantity and a price": a plural that lists fields of
    its own, up to the next such plural; the item and where its fields end."""
    found = noun_at(tokens, segment.start, segment.end, compounds=True)
    if found is None or found[1] > segment.end or found[1] >= end:
        return None
    noun, after = found
    declaring = _declaring(tokens, after, end)
    if not (noun.plural or noun.count == "many") or declaring is None:
        return None
    if tokens[declaring].low not in _NESTING:
        return None  # "tags: news, tech" gives values, "tags (red, green)" too
    fields, stop, _ = declared_fields(tokens, noun, after, end)
    if not fields:
        return None
    return Item(noun.words, noun.count, noun.article, noun.start, noun.end, fields=fields), stop


def _links(tokens: Tokens, segment: _Segment) -> list[Item]:
    """ "each in a department", "each is for one admission", "for a product"."""
    index = segment.start
    if tokens[index].low not in _LINK_OPENERS:
        return []
    index += 1
    while index < segment.end and word_class(tokens, index) in ("be", "verb", "modal", "adv"):
        index += 1
    notes = Notes(flags=frozenset({LINK}))
    return [
        Item(noun.words, noun.count, noun.article, noun.start, noun.end, notes)
        for noun in chained_nouns(tokens, index, segment.end)
    ]


def _is_value(tokens: Tokens, segment: _Segment) -> bool:
    words = tokens[segment.start : segment.end]
    return (
        0 < len(words) <= 3
        and all(t.is_word for t in words)
        and words[0].low not in DETERMINERS
        and words[0].low not in MANY
        and stated_kind(words[0].low) is None
        and (len(words) == 1 or infer_kind(tuple(t.low for t in words)) == STRING)
    )


def _with_value(item: Item, tokens: Tokens, segment: _Segment) -> Item:
    value = " ".join(t.text for t in tokens[segment.start : segment.end])
    notes = replace(item.notes, values=(*item.notes.values, value))
    return replace(item, notes=notes, end=tokens[segment.end - 1].end)


def _distributed(item: Item, tokens: Tokens, segment: _Segment, following: _Segment | None) -> Item:
    """``first and last name``: "first" borrows the head of the next item."""
    if len(item.words) != 1 or item.words[0] not in _DISTRIBUTED or following is None:
        return item
    if following.joiner not in ("and", "or"):
        return item
    nxt = _field_item(tokens, following.start, following.end)
    if nxt is None or len(nxt.words) < 2 or nxt.words[0] not in _DISTRIBUTED:
        return item
    return replace(item, words=(item.words[0], *nxt.words[1:]))


def _field_item(tokens: Tokens, start: int, end: int) -> Item | None:
    """One field: leading quantifiers and flags, the name, then what is said about it."""
    count, article, flags, index = _lead(tokens, start, end)
    words, index = _name(tokens, index, end)
    notes = read_notes(tokens, index, end)
    trailing_type = len(words) > 1 and stated_kind(words[-1]) is not None
    if trailing_type and notes.type_word is None and words[-1] not in _NAME_TYPE_WORDS:
        notes = replace(notes, type_word=words[-1])
        words = words[:-1]
    notes = replace(notes, flags=notes.flags | flags)
    if not words and notes.is_empty:
        return None
    return Item(tuple(words), count, article, tokens[start].start, tokens[end - 1].end, notes)


def _lead(tokens: Tokens, start: int, end: int) -> tuple[str, str, frozenset[str], int]:
    found = noun_at(tokens, start, end)
    count, article = (found[0].count, found[0].article) if found else ("", "")
    index, flags = start, set[str]()
    while index < end:
        low = tokens[index].low
        skip = phrase_at(tokens, index, QUANTIFIER_PHRASES)
        if low in _FLAG_WORDS:
            flags.add(_FLAG_WORDS[low])
        elif skip:
            index += skip
            continue
        elif not (word_class(tokens, index) == "det" or tokens[index].kind == "num"):
            break
        index += 1
    return count, article, frozenset(flags), index


def _name(tokens: Tokens, index: int, end: int) -> tuple[list[str], int]:
    words: list[str] = []
    if index + 1 < end and tokens[index].low in ("is", "has") and tokens[index + 1].is_word:
        words.append(tokens[index].low)
        index += 1
    while index < end and tokens[index].is_word and len(words) < _MAX_NAME_WORDS:
        low = tokens[index].low
        if low in _NAME_TAILS and words and _ends_name(tokens, index, end):
            words.append(low)
            return words, index + 1
        if low == "of" and words and index + 1 < end and tokens[index + 1].low != "type":
            words.append(low)
        elif low in _BOUNDS and not words and index + 1 < end and tokens[index + 1].is_word:
            words.append(low)  # "max capacity", not "max 20"
        elif (
            low in _NAME_STOPS
            or (low in _FLAG_WORDS and words)
            or _opens_values(tokens, index)
            or (index + 1 < end and tokens[index + 1].low == "/")
        ):
            break
        else:
            words.append(low)
        index += 1
    while words and words[-1] == "of":
        words.pop()
    return words, index


def _ends_name(tokens: Tokens, index: int, end: int) -> bool:
    """``starts at`` and ``issued on date`` end a name with their preposition."""
    return index + 1 == end or (index + 2 == end and tokens[index + 1].low in _TAIL_TYPES)


def _opens_values(tokens: Tokens, index: int) -> bool:
    return tokens[index].low == "one" and index + 1 < len(tokens) and tokens[index + 1].low == "of"


def chained_nouns(tokens: Tokens, start: int, end: int) -> list[Noun]:
    """ "one patient with one doctor", "to a cart, for a product": a noun, then each noun a
    linking preposition joins to it."""
    nouns: list[Noun] = []
    index = start
    while index < end:
        while index < end and tokens[index].low in _LINKING:
            index += 1
        found = noun_at(tokens, index, end, compounds=True)
        if found is None:
            break
        nouns.append(found[0])
        index = found[1]
        if index + 1 < end and tokens[index + 1].low == "one" and tokens[index].low.endswith("ing"):
            index += 1  # "one member borrowing one book"
        elif index >= end or tokens[index].low not in _LINKING:
            break
    return nouns


def entity_items(tokens: Tokens, start: int, end: int) -> tuple[Item, ...]:
    """Entities in a list, each maybe with fields: "warehouses (name) and items with a sku"."""
    items: list[Item] = []
    index = start
    while index < end:
        found = noun_at(tokens, index, end, compounds=True)
        if found is None:
            index += 1
            continue
        noun, index = found
        if noun.is_meta and index < end and tokens[index].low in _DECLARES:
            index += 1  # "an API with books and members": the list names the entities
        fields, index, notes = (
            (None, index, Notes()) if noun.is_meta else declared_fields(tokens, noun, index, end)
        )
        items.append(
            Item(noun.words, noun.count, noun.article, noun.start, noun.end, notes, fields)
        )
    return tuple(items)


def declared_fields(
    tokens: Tokens, noun: Noun, index: int, end: int
) -> tuple[tuple[Item, ...] | None, int, Notes]:
    """The field list after an entity name, where it ends, and the notes on the name: the noun
    of "reviews of movies", or the type of "a budget (decimal)", which is no entity."""
    if index >= end:
        return None, index, Notes()
    low = tokens[index].low
    declaring = _declaring(tokens, index, end)
    if declaring is not None:
        stop = _next_declaration(tokens, declaring + 1, end)
        return field_items(tokens, declaring + 1, stop), stop, Notes()
    if is_open_bracket(tokens[index]):
        close = min(closing(tokens, index), end)
        typed = typed_field(tokens, noun, index, end)
        if typed is not None:
            return None, close + 1, typed
        return field_items(tokens, index + 1, close), close + 1, Notes()
    if low in ("of", "for", "on") and index + 1 < end:
        target = noun_at(tokens, index + 1, end)
        if target is not None:
            return None, target[1], Notes(refers=target[0].words)
    return None, index, Notes()


def _declaring(tokens: Tokens, index: int, end: int) -> int | None:
    """The word after which a noun's fields are listed: "books with a title", "books, each with
    a title", "tasks that have a title"; None when the noun declares nothing."""
    position = index
    if tokens[position].low == "," and position + 1 < end and tokens[position + 1].low in _EACH:
        position += 1
    if tokens[position].low in _EACH and position + 1 < end:
        position += 1
    elif tokens[position].low in RELATIVES and position + 1 < end:
        position += 1
        return position if tokens[position].low in _HAVE else None
    return position if tokens[position].low in _DECLARES else None


def typed_field(tokens: Tokens, noun: Noun, bracket: int, end: int) -> Notes | None:
    """ "a budget (decimal)", "floor (int, unique)": a bracket that states a type makes the noun
    before it a field, not an entity with a list of fields. A type that is also a field's usual
    name ("date", "email", "number") says so only after an article or a name of that very type
    ("a start (date)", "deadline (date)"): "Events(date)" declares events that have a date."""
    notes = field_annotation(tokens, bracket + 1, min(closing(tokens, bracket), end))
    if notes is None or notes.type_word not in _NAMING_TYPES:
        return notes
    named = infer_kind(noun.words) == stated_kind(notes.type_word, loose=True)
    return notes if named or noun.article in ("a", "an") else None


def _next_declaration(tokens: Tokens, index: int, end: int) -> int:
    """Where a new "<plural noun> with/(" starts inside a running field list, else ``end``."""
    for segment in split_list(tokens, index, end)[1:]:
        found = noun_at(tokens, segment.start, end, compounds=True)
        if found is None or not found[0].plural or found[1] >= end:
            continue
        after = tokens[found[1]]
        if after.low in _DECLARES or (
            is_open_bracket(after) and typed_field(tokens, found[0], found[1], end) is None
        ):
            return segment.start
    return end


def names_entity(item: Item) -> bool:
    """A bare plural that is no field word ("posts", not "notes", "credits" or "titles")."""
    noun = item.noun
    return (
        noun.plural
        and is_bare(item)
        and singularize(noun.head) not in FIELD_NAMES
        and infer_kind((singularize(noun.head),)) == STRING
        and infer_kind(noun.words) == STRING
    )


def is_bare(item: Item) -> bool:
    """Nothing said about the item but maybe a bracket of its own fields ("books (title)")."""
    return item.notes.type_word is None and not item.notes.flags and item.notes.unit is None
