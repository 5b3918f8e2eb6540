"""Word classes in context, and the noun phrases built from them.

Many backend nouns are verbs too ("orders", "users order products"). Such a word is a verb only
after a modal, a pronoun, "to", or a plural noun it agrees with, or when it opens a clause and is
followed by what it would act on; everywhere else it is a noun.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from deeprun.logic.naming import singularize
from deeprun.logic.offline_planner.lexicon import (
    ADJECTIVES,
    ADVERBS,
    BE,
    COLLECTIVE_NOUNS,
    CONJUNCTIONS,
    DETERMINERS,
    EXACTLY_ONE,
    FREQUENCIES,
    LOGIN_PARTICLES,
    LOGIN_VERBS,
    MANY,
    META_NOUNS,
    MODALS,
    NOUN_VERBS,
    PREPOSITIONS,
    PROJECT_HEADS,
    PRONOUNS,
    VERBS,
)
from deeprun.logic.offline_planner.tokens import Token, verb_base

Tokens = tuple[Token, ...]
_HAVE: Final = frozenset({"has", "have", "having", "had"})
_SUBJECT_PRONOUNS: Final = frozenset({"i", "we", "you", "they", "he", "she", "it", "who", "which"})
_CLAUSE_OPENERS: Final = frozenset({",", ";", ":", "(", "-", "and", "or", "then", "also", "to"})
_MAX_NOUN_WORDS: Final = 4
# Multi-word quantifiers: "a list of tags", "one or more addresses", "exactly one badge".
_MANY_PHRASES: Final = (
    ("a", "list", "of"), ("lists", "of"), ("a", "set", "of"), ("a", "collection", "of"),
    ("a", "number", "of"), ("any", "number", "of"), ("lots", "of"), ("a", "lot", "of"),
    ("one", "or", "more"), ("zero", "or", "more"), ("a", "bunch", "of"), ("a", "few"),
    ("one", "to", "many"), ("one-to-many",), ("many-to-many",), ("many", "to", "many"),
)  # fmt: skip
_ONE_PHRASES: Final = (
    ("exactly", "one"), ("one", "and", "only", "one"), ("only", "one"), ("a", "single"),
    ("one-to-one",), ("one", "to", "one"), ("a", "unique"), ("precisely", "one"),
)  # fmt: skip


QUANTIFIER_PHRASES: Final = _MANY_PHRASES + _ONE_PHRASES


def word_class(tokens: Tokens, index: int) -> str:
    """``noun``, ``verb``, ``have``, ``be``, ``modal``, ``det``, ``prep``, ``conj``, ``pron``,
    ``adv``, ``adj``, ``num`` or ``punct``."""
    token = tokens[index]
    if token.kind != "word":
        return token.kind
    low = token.low
    fixed = _fixed_class(low)
    if fixed:
        return fixed
    floating = index > 1 and tokens[index - 1].low in ("each", "all", "both")
    floating = floating and _fixed_class(tokens[index - 2].low) is None  # "contacts each belong"
    if (
        index
        and not floating
        and (tokens[index - 1].low in DETERMINERS or tokens[index - 1].low in MANY)
    ):
        return "noun"
    if gerund_before_one(tokens, index):
        return "verb"  # "a driver renting one car"
    if logs_in(tokens, index):
        return "verb"  # "staff log in": not the noun "staff log"
    if low in NOUN_VERBS or (verb_base(low) in NOUN_VERBS and low not in VERBS):
        return "verb" if _acts_as_verb(tokens, index) else "noun"
    base = verb_base(low)
    if base is None:
        return "noun"
    if low.endswith("ing") or (low.endswith(("ed", "en")) and low != base):
        return "verb" if _participle_as_verb(tokens, index) else "noun"
    return "verb"


def gerund_before_one(tokens: Tokens, index: int) -> bool:
    """ "(one member) borrowing one book": a verb that only qualifies the noun before it."""
    low = tokens[index].low
    following = tokens[index + 1].low if index + 1 < len(tokens) else ""
    return following == "one" and low.endswith("ing") and verb_base(low) is not None


def logs_in(tokens: Tokens, index: int) -> bool:
    """ "log in", "signs up": the phrasal verb of an account. Plural agreement cannot tell it
    from a noun after a collective subject ("staff log in"), the particle after it can, unless
    a place follows ("each ship log in the archive")."""
    following = tokens[index + 1].low if index + 1 < len(tokens) else ""
    place = index + 2 < len(tokens) and tokens[index + 2].low in DETERMINERS
    return (
        following in LOGIN_PARTICLES
        and not (place and following in ("in", "on"))
        and verb_base(tokens[index].low) in LOGIN_VERBS
    )


def _fixed_class(low: str) -> str | None:
    for words, name in (
        (_HAVE, "have"), (BE, "be"), (MODALS, "modal"), (DETERMINERS, "det"), (MANY, "det"),
        (PRONOUNS, "pron"), (PREPOSITIONS, "prep"), (CONJUNCTIONS, "conj"), (ADVERBS, "adv"),
        (ADJECTIVES, "adj"), (EXACTLY_ONE, "det"),
    ):  # fmt: skip
        if low in words:
            return name
    return None


def _acts_as_verb(tokens: Tokens, index: int) -> bool:
    low = tokens[index].low
    base = verb_base(low) or low
    inflected = low != base
    before = tokens[index - 1].low if index else ""
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    if before in MODALS or before in _SUBJECT_PRONOUNS or before in ("also", "only", "not"):
        return True
    if before == "to":
        return not inflected
    if before in DETERMINERS or before in MANY or before in PREPOSITIONS or before in ADJECTIVES:
        return before in ("for", "by", "of") and low.endswith("ing")
    if _after_verb(tokens, index - 1):
        return False  # "to store books": the object of a verb
    object_of = index > 1 and (tokens[index - 2].low in _HAVE or _after_verb(tokens, index - 2))
    if object_of and not _plain_plural(before):
        return False  # "have service records", "submit leave requests"; not "lets users post"
    if before and tokens[index - 1].kind == "word" and before not in _CLAUSE_OPENERS:
        return after is not None and after.kind == "word" and _agrees(before, low, inflected, after)
    return (
        not inflected
        and after is not None
        and _starts_object(after)
        and not _compound_subject(tokens, index)
    )


def _compound_subject(tokens: Tokens, index: int) -> bool:
    """ "Order items have ...", "Stock levels are ...": the word and the plural after it are
    the subject of the verb that follows them, not a verb and its object."""
    if index + 2 >= len(tokens) or tokens[index + 1].kind != "word":
        return False
    following = tokens[index + 2].low
    return following in _HAVE or following in BE or following in MODALS


def _after_verb(tokens: Tokens, index: int) -> bool:
    """Whether the word at ``index`` is surely a verb: a verb that is never a noun, or one that
    is both after "to", a modal or a subject pronoun ("we store", "to track")."""
    if index < 0:
        return False
    low = tokens[index].low
    base = verb_base(low)
    if base is None or _fixed_class(low) is not None:
        return False
    if low not in NOUN_VERBS and base not in NOUN_VERBS:
        return True
    before = tokens[index - 1].low if index else ""
    return (
        before == "to"
        or before in MODALS
        or before in _SUBJECT_PRONOUNS
        or (low == base and _plain_plural(before))  # "users post notes"
    )


def _plain_plural(low: str) -> bool:
    """A plural that can only be a noun ("users", not "orders"): a noun-or-verb in its base form
    after it is its verb, so the word after that is the verb's object."""
    return (
        _fixed_class(low) is None
        and singularize(low) != low
        and low not in NOUN_VERBS
        and verb_base(low) is None
    )


def _agrees(subject: str, low: str, inflected: bool, after: Token | None) -> bool:
    """``customers place`` and ``a customer places`` read as subject and verb; after a
    collective noun both do ("staff need accounts", "the crew logs trips")."""
    plural = not inflected or low.endswith(("ed", "ing"))
    followed_by_verb = after is not None and (after.low in _HAVE or after.low in BE)
    singular = inflected and low.endswith("s") and not followed_by_verb and after is not None
    if subject in COLLECTIVE_NOUNS:
        return plural or singular
    return plural if singularize(subject) != subject else singular


def _starts_object(token: Token) -> bool:
    low = token.low
    if low in DETERMINERS or low in MANY:
        return True
    return token.kind == "word" and _fixed_class(low) is None and singularize(low) != low


def _participle_as_verb(tokens: Tokens, index: int) -> bool:
    """``written by``, ``for managing`` and ``is assigned`` are verbs; ``published year`` is not."""
    before = tokens[index - 1].low if index else ""
    after = tokens[index + 1].low if index + 1 < len(tokens) else ""
    if before in BE or before in MODALS or after in ("by", "to", "with", "in", "on", "for"):
        return True
    return before in ("for", "by", "of", "about", "and", "to", "") and tokens[index].low.endswith(
        "ing"
    )


@dataclass(frozen=True, slots=True)
class Noun:
    """A noun phrase: its content words (the last is the head) and how many it means."""

    words: tuple[str, ...]
    count: str  # "many", "one" (exactly one), or "" when unsaid
    article: str  # the first determiner ("a", "each", "their"...), or ""
    start: int  # offsets in the prompt
    end: int

    @property
    def head(self) -> str:
        return self.words[-1]

    @property
    def plural(self) -> bool:
        return singularize(self.head) != self.head

    @property
    def is_meta(self) -> bool:
        """Names the project or talks about it ("a blog API", "endpoints")."""
        return self.head in META_NOUNS or self.head in PROJECT_HEADS


_MAX_PREFIX = 6
"""Words of count and determiner before a noun ("each of the many"); more is not English."""


def phrase_at(tokens: Tokens, index: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the first of ``phrases`` found at ``index`` (0 when none)."""
    for words in phrases:
        end = index + len(words)
        if end <= len(tokens) and all(
            t.low == w for t, w in zip(tokens[index:end], words, strict=True)
        ):
            return len(words)
    return 0


def noun_at(
    tokens: Tokens, index: int, stop: int | None = None, *, compounds: bool = False
) -> tuple[Noun, int] | None:
    """The noun phrase starting at ``index`` and the index after it, or None. With
    ``compounds``, a noun-or-verb word in front of a noun is a noun ("stock items")."""
    stop = len(tokens) if stop is None else stop
    count, article, position = "", "", index
    while position < min(stop, index + _MAX_PREFIX):  # bounded: a run of "a a a" stays linear
        many, one = (
            phrase_at(tokens, position, _MANY_PHRASES),
            phrase_at(tokens, position, _ONE_PHRASES),
        )
        low = tokens[position].low
        if many or one:
            count = "many" if many else "one"
            article = article or low
            position += many or one
        elif low in MANY:
            count, article, position = "many", article or low, position + 1
        elif low in DETERMINERS or tokens[position].kind == "num" or low in ("own", "also"):
            article, position = article or low, position + 1
        else:
            break
    words: list[str] = []
    end = position
    while (
        end < stop
        and len(words) < _MAX_NOUN_WORDS
        and (_nominal(tokens, end) or (compounds and _compound_start(tokens, end, stop)))
    ):
        words.append(tokens[end].low)
        end += 1
    while len(words) > 1 and words[-1] in FREQUENCIES:
        words.pop()  # "log habits daily"
        end -= 1
    content = [w for w in words if w not in ADJECTIVES]
    if not content:
        return None
    noun = Noun(tuple(content), count, article, tokens[index].start, tokens[end - 1].end)
    return noun, end


def _nominal(tokens: Tokens, index: int) -> bool:
    return word_class(tokens, index) in ("noun", "adj")


def _compound_start(tokens: Tokens, index: int, stop: int) -> bool:
    return tokens[index].low in NOUN_VERBS and index + 1 < stop and _nominal(tokens, index + 1)


def noun_before(tokens: Tokens, index: int, floor: int) -> tuple[Noun, int] | None:
    """The noun phrase ending right before ``index`` (past modals and adverbs), and its start."""
    end = index
    while end > floor and word_class(tokens, end - 1) in ("modal", "adv"):
        end -= 1
    start = end
    while start > floor and word_class(tokens, start - 1) in ("noun", "adj"):
        start -= 1
    if start == end:
        return None
    if start > floor and _compound_start(tokens, start - 1, end):
        start -= 1
    while start > floor and (
        word_class(tokens, start - 1) == "det" or tokens[start - 1].low in ("own", "exactly")
    ):
        start -= 1
    found = noun_at(tokens, start, end, compounds=True)
    return (found[0], start) if found else None
