"""A phrase as clauses: who (subject) does what (anchor) to which words (region).

Besides anchored clauses, a phrase may declare entities by shape alone: a heading
("Product: name, price"), a name with brackets ("Loan(book, member)"), a bare list of plural
nouns ("Posts, authors and comments."). A phrase can open a block for the bullets under it:
"Entities:" opens a list of entities, "Product:" a list of Product's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from deeprun.logic.offline_planner.anchors import Anchor, find_anchors
from deeprun.logic.offline_planner.items import Item, field_items, names_entity, typed_field
from deeprun.logic.offline_planner.lexicon import (
    BE,
    DESCRIBABLE_META,
    ENTITY_HEADINGS,
    FIELD_HEADINGS,
)
from deeprun.logic.offline_planner.nouns import Noun, Tokens, noun_at, noun_before, word_class
from deeprun.logic.offline_planner.tokens import is_open_bracket

_HEADING_MARKS: Final = frozenset({":", "-", "=", "{"})
_OPTIONAL_MODALS: Final = frozenset({"can", "may", "might", "could", "optionally"})
_TRAILING: Final = frozenset({",", ";", "and", "or", "but", "while", "so", "then", "also"})
_MAX_HEADING_TOKENS: Final = 6


@dataclass(frozen=True, slots=True)
class Clause:
    """``kind``: an anchor kind, ``declare`` (subject with a field list in the region),
    ``entities`` (the region lists entities), ``list`` (a bare list that may name entities)
    or ``domain`` (the subject names the project)."""

    kind: str
    subject: Noun | None
    verb: str
    tokens: Tokens
    start: int  # the region, as token indices
    end: int
    source: int  # the phrase
    pronoun: bool = False  # "we have members": the speaker, not an entity
    optional: bool = False  # "may belong to", "can have"
    purpose: bool = False  # "(an app) to track books": the project's verb, right after it
    account: bool = False  # "staff log in and ...": the subject is an account, maybe no entity


@dataclass(frozen=True, slots=True)
class Opening:
    """What the bullets under a phrase continue: a list of entities, or one entity's fields."""

    kind: str  # "entities" or "fields"
    noun: Noun | None = None


def read_phrase(
    tokens: Tokens, source: int, context: Opening | None, bullets: tuple[Tokens, ...] = ()
) -> tuple[list[Clause], Opening | None]:
    """``bullets``: the phrases of the bullets under this one, which tell a heading naming an
    entity ("Project:" over "- name", "- budget") from one naming the project ("Bookstore:"
    over "- books", "- authors")."""
    if not tokens:
        return [], None
    anchors = find_anchors(tokens)
    if context is not None and context.kind == "fields" and context.noun is not None:
        return _under_entity(tokens, source, context.noun, anchors), None
    heading = _heading(tokens, source, anchors, listing=context is not None, bullets=bullets)
    if heading is not None:
        return heading
    if context is not None and not any(_subject(tokens, a, 0)[0] for a in anchors):
        listed = Clause("entities", None, "", tokens, 0, len(tokens), source)
        return [listed], _lone_noun_opening(tokens)
    return _anchored(tokens, source, anchors), None if anchors else _lone_noun_opening(tokens)


def _under_entity(
    tokens: Tokens, source: int, noun: Noun, anchors: tuple[Anchor, ...]
) -> list[Clause]:
    """A bullet under "Product:": a field, or a clause whose missing subject is Product."""
    if not anchors:
        return [Clause("declare", noun, "", tokens, 0, len(tokens), source)]
    clauses = _anchored(tokens, source, anchors)
    first = clauses[0] if clauses else None
    if first is not None and first.subject is None and not first.pronoun:
        clauses[0] = Clause(
            first.kind, noun, first.verb, tokens, first.start, first.end, source,
            optional=first.optional,
        )  # fmt: skip
    return clauses


def _heading(
    tokens: Tokens,
    source: int,
    anchors: tuple[Anchor, ...],
    *,
    listing: bool,
    bullets: tuple[Tokens, ...] = (),
) -> tuple[list[Clause], Opening | None] | None:
    """``Product: name, price``, ``Entities: ...``, ``Library API: books, members``."""
    mark = next(
        (i for i, t in enumerate(tokens[:_MAX_HEADING_TOKENS]) if t.low in _HEADING_MARKS), None
    )
    if mark is None or mark == 0:
        return None
    first = 1 if word_class(tokens, 0) == "verb" else 0  # "Track expenses: amount, ..."
    found = noun_at(tokens, first, mark, compounds=True)
    if found is None or found[1] != mark:
        return None
    noun, rest = found[0], mark + 1 if tokens[mark].low != "{" else mark
    rest_anchors = tuple(a for a in anchors if a.start >= rest)
    empty = rest >= len(tokens)
    if noun.head in ENTITY_HEADINGS or (noun.head in FIELD_HEADINGS and not listing):
        clauses = [Clause("entities", None, "", tokens, rest, len(tokens), source)]
        return clauses, Opening("entities") if empty else None
    if noun.head in DESCRIBABLE_META and not rest_anchors and _lists_fields(tokens, rest):
        return [Clause("declare", noun, "", tokens, rest, len(tokens), source)], None
    under = _bullets_kind(bullets) if empty and noun.head not in FIELD_HEADINGS else ""
    if under == "fields" and noun.head in DESCRIBABLE_META:
        declared = Clause("declare", noun, "", tokens, rest, len(tokens), source)
        return [declared], Opening("fields", noun)
    if under == "entities" and not noun.is_meta and noun.head not in ENTITY_HEADINGS:
        return [Clause("domain", noun, "", tokens, 0, 0, source)], Opening("entities")
    if noun.is_meta:
        domain = Clause("domain", noun, "", tokens, 0, 0, source)
        if rest_anchors:
            return [domain, *_anchored(tokens, source, rest_anchors, floor=rest)], None
        listed = Clause("entities", None, "", tokens, rest, len(tokens), source)
        return [domain, listed], Opening("entities") if empty else None
    verbs = any(a.kind != "have" for a in rest_anchors)  # "users upload photos with ...": a verb
    if (_declares_entities(tokens, rest) and not verbs) or (
        not rest_anchors and _lists_entities(tokens, rest)
    ):
        return [Clause("domain", noun, "", tokens, 0, 0, source),
                Clause("entities", None, "", tokens, rest, len(tokens), source)], None  # fmt: skip
    if rest_anchors and any(_subject(tokens, a, rest)[0] for a in rest_anchors):
        return [Clause("domain", noun, "", tokens, 0, 0, source),
                *_anchored(tokens, source, rest_anchors, floor=rest)], None  # fmt: skip
    declared = Clause("declare", noun, "", tokens, rest, len(tokens), source)
    return [declared], Opening("fields", noun) if empty else None


def _lists_fields(tokens: Tokens, rest: int) -> bool:
    """ "Project: name, budget (decimal)" lists a stored project's fields, as "Product: name,
    price" would; "Project: a CRM for dentists" describes the project being built and "Project:
    books, members" lists its entities. Fields: two of them at least, or one with a stated type,
    and none that names the project or reads as an entity (a bare plural that is no field word)."""
    items = field_items(tokens, rest, len(tokens))
    typed = any(i.notes.type_word or i.notes.values for i in items)
    return (len(items) >= 2 or (len(items) == 1 and typed)) and not any(
        i.noun.is_meta or names_entity(i) for i in items
    )


def _bullets_kind(bullets: tuple[Tokens, ...]) -> str:
    """ "fields" when no bullet reads as an entity ("- name", "- budget (decimal)"), "entities"
    when every one does ("- books", "- Book: title, author", "- members with a name"), else
    "" (mixed, or no bullets: the heading alone decides)."""
    kinds = {_bullet_names_entity(b) for b in bullets if b}
    if not kinds:
        return ""
    return "" if len(kinds) > 1 else "entities" if kinds == {True} else "fields"


def _bullet_names_entity(tokens: Tokens) -> bool:
    """A bullet that is a bare plural naming an entity, or a noun its own fields follow."""
    found = noun_at(tokens, 0, compounds=True)
    if found is None:
        return False
    noun, after = found
    if after == len(tokens):
        return names_entity(Item(noun.words, noun.count, noun.article, noun.start, noun.end))
    following = tokens[after]
    if following.low in (":", "with") or (following.low == "-" and after + 1 < len(tokens)):
        return True
    return is_open_bracket(following) and typed_field(tokens, noun, after, len(tokens)) is None


def _lists_entities(tokens: Tokens, rest: int) -> bool:
    """ "Clinic: doctors and patients": two bare plurals or more, every one naming an entity, after
    a singular heading name the project's entities; "Order: items, total" lists fields, and one
    plural alone ("Author: books") may be what the heading holds."""
    items = field_items(tokens, rest, len(tokens))
    return len(items) >= 2 and all(names_entity(i) and i.article == "" for i in items)


def _declares_entities(tokens: Tokens, rest: int) -> bool:
    """``Library: Book(title), Author(name)``, ``Shortener: links with a url``; not
    ``Rooms: a number (integer)``, where the bracket types a field."""
    found = noun_at(tokens, rest, compounds=True)
    if found is None or found[1] >= len(tokens):
        return False
    after = tokens[found[1]]
    if is_open_bracket(after):
        return typed_field(tokens, found[0], found[1], len(tokens)) is None
    return after.low == "with" and found[0].plural


def _lone_noun_opening(tokens: Tokens) -> Opening | None:
    """A line that is only a noun ("Product", "Entities") opens a block for its bullets."""
    found = noun_at(tokens, 0, compounds=True)
    if found is None or found[1] != len(tokens):
        return None
    noun = found[0]
    if noun.head in ENTITY_HEADINGS:
        return Opening("entities")
    return None if noun.is_meta else Opening("fields", noun)


def _anchored(
    tokens: Tokens, source: int, anchors: tuple[Anchor, ...], floor: int = 0
) -> list[Clause]:
    """One clause per anchor; whatever precedes the first one is read as a plain list."""
    starts = [_subject(tokens, a, floor)[1] for a in anchors]
    clauses: list[Clause] = []
    prefix_end = starts[0] if anchors else len(tokens)
    if prefix_end > floor:
        clauses.append(_prefix(tokens, source, floor, prefix_end))
    previous, before = floor, None
    for position, anchor in enumerate(anchors):
        subject, _, pronoun = _subject(tokens, anchor, previous)
        account = False
        if subject is None and not pronoun and before is not None:
            subject, pronoun, account = before.subject, before.pronoun, _by_account(before)
        end = starts[position + 1] if position + 1 < len(anchors) else len(tokens)
        if end <= anchor.end and position + 1 < len(anchors):
            end = _shared_object(tokens, end, anchors[position + 1])
        while end > anchor.end and (
            tokens[end - 1].low in _TRAILING or word_class(tokens, end - 1) == "adv"
        ):  # "..., and only admins can": "only" leads the next clause, it names no field
            end -= 1
        clauses.append(
            Clause(
                anchor.kind,
                subject,
                anchor.verb,
                tokens,
                anchor.end,
                end,
                source,
                pronoun=pronoun,
                optional=_optional(tokens, anchor.start, previous),
                purpose=anchor.purpose,
                account=account,
            )
        )
        previous, before = anchor.end, clauses[-1]
    return clauses


def _shared_object(tokens: Tokens, end: int, following: Anchor) -> int:
    """Where a clause whose object the next one took as its subject ends: "students enroll in
    courses taught by teachers" enroll in the courses a reduced relative then describes, so both
    clauses read them. Any other next clause keeps its subject to itself."""
    word = tokens[following.start].low
    reduced = following.kind == "belong" and word not in BE and word != following.verb
    return following.start if reduced and not word.endswith("s") else end


def _by_account(before: Clause) -> bool:
    """After "staff log in", "and submit reports" is said by the one who logged in, and so is
    any clause continuing that one: an account, an entity only where a sentence describes it."""
    return before.kind == "login" or before.account


def _prefix(tokens: Tokens, source: int, start: int, end: int) -> Clause:
    """Text before any clause: "Events (title, ...) and venues (...)", or a project's name."""
    found = noun_at(tokens, start, end, compounds=True)
    if found is not None and found[0].is_meta and not _has_brackets(tokens, start, end):
        return Clause("domain", found[0], "", tokens, start, start, source)
    return Clause("list", None, "", tokens, start, end, source)


def _has_brackets(tokens: Tokens, start: int, end: int) -> bool:
    return any(is_open_bracket(t) for t in tokens[start:end])


def _subject(tokens: Tokens, anchor: Anchor, floor: int) -> tuple[Noun | None, int, bool]:
    """The anchor's subject, where its clause starts, and whether the subject is a pronoun.
    A purpose verb ("an API to track books") is the speaker's: the project does what they ask."""
    if anchor.purpose:
        return None, anchor.start, True
    found = noun_before(tokens, anchor.start, floor)
    if found is not None:
        return found[0], found[1], False
    position = anchor.start
    while position > floor and word_class(tokens, position - 1) in ("modal", "adv"):
        position -= 1
    if position > floor and word_class(tokens, position - 1) == "pron":
        return None, position - 1, True
    if position > floor and tokens[position - 1].low in ("each", "every"):
        position -= 1  # "..., and each is on one level"
    return None, position, False


def _optional(tokens: Tokens, anchor_start: int, floor: int) -> bool:
    position = anchor_start
    while position > floor and word_class(tokens, position - 1) in ("modal", "adv"):
        position -= 1
        if tokens[position].low in _OPTIONAL_MODALS:
            return True
    return False
