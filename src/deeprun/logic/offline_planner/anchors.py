"""Anchors: the verbs that give a clause its meaning, and where they sit.

A clause is read around its anchor: the noun phrase before it is the subject, the words after it
up to the next clause are its object. The kinds:

- ``have``: possession ("each post has a title", "orders with line items").
- ``manage``: keeping things ("track expenses", "we store books").
- ``create``: asking for the project ("I need an API for ...", "build a backend to ...").
- ``belong``: the subject points at one object ("a comment is on a post", "written by authors").
- ``share``: both sides have many ("students enroll in courses", "tags appear on posts").
- ``act``: any other verb ("customers place orders").
- ``login``: "staff log in", "customers sign up": its subject is an account, not an entity.

A verb that says what the project is for ("an API to track books", "a service that records
donations", "an app for tracking books") is an anchor of its own, wherever it sits: the project
does it, so its object lists the entities and the verb is never part of their names.

A later verb needs a subject of its own, unless it continues the clause before it ("..., and
belongs to one company", "each is on one level"): then the subject is shared.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from deeprun.logic.offline_planner.lexicon import (
    BE,
    NOUN_VERBS,
    PURPOSE_HEADS,
    PURPOSE_MARKERS,
    RELATIVES,
    WANTING_VERBS,
)
from deeprun.logic.offline_planner.nouns import (
    Tokens,
    gerund_before_one,
    logs_in,
    noun_before,
    word_class,
)
from deeprun.logic.offline_planner.tokens import closing, is_open_bracket, verb_base


def _patterns(kind: str, text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((kind, tuple(p.split())) for p in text.split(","))


_PATTERNS: Final = sorted(
    _patterns(
        "belong",
        "belong to,be on,be for,be under,be part of,be in,be within,reference,refer to,"
        "point to,go on,go in,sit on,sit in,live in,take place at,take place in,"
        "take place on,happen at,happen in,be held at,be held in,be located at,"
        "be located in,be associated with,associate with,be about,be inside",
    )
    + _patterns(
        "share",
        "enroll in,enrol in,be enrolled in,join,attend,follow,subscribe to,appear in,appear on,"
        "participate in,register for,sign up for,take part in,work on,collaborate on,"
        "be tagged with,be member of,be members of,bookmark,favorite,favourite,be shared by",
    )
    + _patterns(
        "have",
        "have,with,contain,include,consist of,be made of,be composed of,be made up of,"
        "come with,be equipped with,need,want,require",
    )
    + _patterns(
        "manage",
        "manage,track,store,keep track of,keep,record,handle,organise,organize,list,catalog,"
        "catalogue,sell,rent,maintain,log,host,offer,cover,support,deal with,work with,"
        "administer,run,collect,save,hold",
    )
    + _patterns(
        "create",
        "build,create,make,design,develop,implement,generate,write,set up,spin up",
    ),
    key=lambda pattern: -len(pattern[1]),
)
_PASSIVE_PARTICLES: Final = frozenset({"by", "to"})
# "is stored in one warehouse": weaker particles, so "issued on date" stays a field's name.
_PLACE_PARTICLES: Final = frozenset({"in", "on", "at", "for", "from", "against"})
CONTINUERS: Final = frozenset({"and", ",", "each", "every", "but"})
_VERB_CLASSES: Final = frozenset({"verb", "have", "be"})
_MAX_PURPOSE_HOPS: Final = 3  # "an app for the club of my town to track ...": no further


@dataclass(frozen=True, slots=True)
class Anchor:
    kind: str
    verb: str  # the base form of its verb ("have", "belong", "place"...)
    start: int
    end: int
    purpose: bool = False  # said of the project being built: its doer is the speaker


def find_anchors(tokens: Tokens) -> tuple[Anchor, ...]:
    """Anchors left to right, outside brackets, never overlapping."""
    anchors: list[Anchor] = []
    index = 0
    while index < len(tokens):
        if is_open_bracket(tokens[index]):
            index = closing(tokens, index) + 1
            continue
        purpose = is_purpose(tokens, index)
        anchor = _anchor_at(tokens, index, first=not anchors, purpose=purpose)
        relative = _in_relative_clause(tokens, index) and not purpose
        if anchor is None or relative or gerund_before_one(tokens, index):
            index += 1
            continue
        if anchors and not (
            purpose
            or _has_subject(tokens, index)
            or _continues(tokens, index)
            or _after_login(tokens, index)
            or _wanted(tokens, index)
        ):
            index += 1
            continue
        anchors.append(replace(anchor, purpose=purpose))
        index = anchor.end
    return tuple(anchors)


def _anchor_at(tokens: Tokens, index: int, *, first: bool, purpose: bool) -> Anchor | None:
    kind_of_word = "verb" if purpose else word_class(tokens, index)
    low = tokens[index].low
    if low == "with":
        has_subject = index > 0 and word_class(tokens, index - 1) == "noun"
        return Anchor("have", "have", index, index + 1) if first and has_subject else None
    if kind_of_word not in _VERB_CLASSES:
        return None
    base = "be" if low in BE else ("have" if kind_of_word == "have" else verb_base(low) or low)
    if base in WANTING_VERBS and index + 1 < len(tokens) and tokens[index + 1].low == "to":
        return None  # "need to log in": the verb after "to" is the clause's
    if logs_in(tokens, index):
        return Anchor("login", base, index, index + 2)
    by_agent = _by_agent(tokens, index)
    if by_agent is not None:
        return by_agent
    for kind, words in _PATTERNS:
        if words[0] == base and _particles_match(tokens, index, words):
            return Anchor(kind, base, index, index + len(words))
    if low in BE and _one_doing_one(tokens, index + 1):
        return Anchor("belong", "be", index, index + 1)
    passive = _passive(tokens, index)
    if passive:
        return passive
    if kind_of_word == "verb" and (low == base or not low.endswith(("ed", "en"))):  # "open"
        return Anchor("act", base, index, index + 1)
    return None


def is_purpose(tokens: Tokens, index: int) -> bool:
    """ "an API to track", "a service that records", "an app for tracking", "a backend for my
    shop to log": a verb in the form its marker asks for, after the project's noun (maybe past
    the nouns hung on it by a preposition). "that tracks" reads as a noun after a determiner,
    so only the form and the marker tell it is a verb here."""
    if index < 2 or tokens[index].kind != "word":
        return False
    low, marker = tokens[index].low, tokens[index - 1].low
    base = verb_base(low)
    if base is None or marker not in PURPOSE_MARKERS or not _purpose_form(low, base, marker):
        return False
    return _after_project(tokens, index - 1)


def _purpose_form(low: str, base: str, marker: str) -> bool:
    """ "for tracking", "to track", "that tracks" (or "which track"): not "to tracks"."""
    if marker == "for":
        return low.endswith("ing")
    if marker == "to":
        return low == base
    return not low.endswith(("ed", "ing"))


def _after_project(tokens: Tokens, index: int) -> bool:
    """Whether the noun phrase ending before ``index`` names the project, or hangs on one that
    does by a preposition ("an app for my shop")."""
    for _ in range(_MAX_PURPOSE_HOPS):
        found = noun_before(tokens, index, 0)
        if found is None:
            return False
        if found[0].head in PURPOSE_HEADS:
            return True
        index = found[1] - 1
        if index < 1 or word_class(tokens, index) != "prep":
            return False
    return False


def _one_doing_one(tokens: Tokens, index: int) -> bool:
    """ "(a loan is) one member borrowing one book": the subject points at both nouns."""
    if index >= len(tokens) or tokens[index].low != "one":
        return False
    position = index + 1
    while position < len(tokens) and word_class(tokens, position) in ("noun", "adj"):
        position += 1
    return (
        position > index + 1
        and position + 1 < len(tokens)
        and tokens[position].low.endswith("ing")
        and tokens[position + 1].low == "one"
    )


def _particles_match(tokens: Tokens, index: int, words: tuple[str, ...]) -> bool:
    rest = tokens[index + 1 : index + len(words)]
    if len(rest) != len(words) - 1:
        return False
    return all(
        t.low == w or (w in ("made", "held", "located") and verb_base(t.low) == verb_base(w))
        for t, w in zip(rest, words[1:], strict=True)
    )


def _passive(tokens: Tokens, index: int) -> Anchor | None:
    """``are written by``, ``is assigned to``, and the reduced ``posts written by authors``."""
    position = index + 1 if tokens[index].low in BE else index
    while position < len(tokens) and word_class(tokens, position) == "adv":
        position += 1
    if position + 1 >= len(tokens) or not _passive_particle(tokens, position + 1, index):
        return None
    low = tokens[position].low
    base = verb_base(low)
    if base is None and tokens[index].low in BE and low.endswith("ed"):
        base = low  # "is brewed in", "is tied to": any participle after "is"
    if base is None or (low == base and not low.endswith("ed")):
        return None
    return Anchor("belong", base, index, position + 2)


def _by_agent(tokens: Tokens, index: int) -> Anchor | None:
    """ "(books) written by authors", "made by vendors": a participle with its agent is passive,
    though "write" and "make" alone would ask for a project."""
    low = tokens[index].low
    passive = None if low in BE or low == verb_base(low) else _passive(tokens, index)
    return passive if passive is not None and tokens[passive.end - 1].low == "by" else None


def _passive_particle(tokens: Tokens, index: int, verb: int) -> bool:
    low = tokens[index].low
    if low in _PASSIVE_PARTICLES:
        return True
    after = word_class(tokens, index + 1) if index + 1 < len(tokens) else ""
    return low in _PLACE_PARTICLES and (tokens[verb].low in BE or after == "det")


def _has_subject(tokens: Tokens, index: int) -> bool:
    """A clause after the first needs its own subject: ``and stock items`` is not one."""
    position = index - 1
    while position >= 0 and word_class(tokens, position) in ("modal", "adv"):
        position -= 1
    return position >= 0 and word_class(tokens, position) in ("noun", "pron")


def _continues(tokens: Tokens, index: int) -> bool:
    """ "..., and belongs to a team": a plain verb right after a joiner shares the subject.
    Words that are nouns as often as verbs ("and stock items") never continue a clause."""
    low = tokens[index].low
    base = verb_base(low) or low
    if word_class(tokens, index) not in _VERB_CLASSES or low in NOUN_VERBS or base in NOUN_VERBS:
        return False
    position = index - 1
    while position >= 0 and word_class(tokens, position) in ("modal", "adv"):
        position -= 1
    if position < 0 or tokens[position].low not in CONTINUERS:
        return False
    if word_class(tokens, index) != "verb" or position < index - 1:
        return True  # "is", "has", "can be"
    if low != base:  # "belongs" continues; "paid", "issued on" are fields' names
        return low.endswith("s")
    # A bare base form may still be a noun's modifier ("and publish date"): it needs an object.
    following = word_class(tokens, index + 1) if index + 1 < len(tokens) else ""
    return following in ("det", "prep", "pron")


def _after_login(tokens: Tokens, index: int) -> bool:
    """ "Staff log in and submit reports": what follows the login is what the account does, so a
    verb there continues the clause even when it could be a noun ("and place orders")."""
    return (
        index > 2
        and tokens[index - 1].low in ("and", ",")
        and logs_in(tokens, index - 3)
        and word_class(tokens, index) == "verb"
        and tokens[index].low == verb_base(tokens[index].low)
    )


def _wanted(tokens: Tokens, index: int) -> bool:
    """ "(we run a salon) and want to track appointments": the verb after "want to" is what the
    subject of "want" does, a clause of its own, never part of a noun ("track appointments")."""
    return (
        index > 1
        and tokens[index - 1].low == "to"
        and verb_base(tokens[index - 2].low) in WANTING_VERBS
        and word_class(tokens, index) == "verb"
    )


def _in_relative_clause(tokens: Tokens, index: int) -> bool:
    """``a manager who is also an employee``: the verb belongs to the item, not the sentence."""
    position = index - 1
    while position >= 0 and word_class(tokens, position) in ("modal", "adv"):
        position -= 1
    return position >= 0 and tokens[position].low in RELATIVES
