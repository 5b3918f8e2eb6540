"""The offline planner: an English description of a backend → a spec 1.1 document, with no
model and no network, the same answer every time.

The prompt is cut into phrases (``phrases``), each phrase into clauses around their verbs
(``clauses``, ``anchors``). A first reading decides which nouns are entities (``entities``), a
second turns the items of every clause into fields and relations (``interpret``); sentences
about access (``access``) and about whole entities or known fields (``features``) are read over
the same phrases. ``document`` writes what was understood as a document that passes review.
Every phrase that added nothing is returned in ``ignored``, verbatim, in prompt order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from deeprun.logic.naming import to_snake
from deeprun.logic.offline_planner.access import Access, read_access
from deeprun.logic.offline_planner.clauses import Clause, Opening, read_phrase
from deeprun.logic.offline_planner.document import entity_documents
from deeprun.logic.offline_planner.draft import Blueprint
from deeprun.logic.offline_planner.entities import Catalog, Reading, first_reading
from deeprun.logic.offline_planner.features import read_features
from deeprun.logic.offline_planner.interpret import Reader
from deeprun.logic.offline_planner.items import Item
from deeprun.logic.offline_planner.lexicon import (
    ACCOUNT_NOUNS,
    ACCOUNT_WORDS,
    ADJECTIVES,
    API_STYLES,
    META_NOUNS,
    PROJECT_HEADS,
)
from deeprun.logic.offline_planner.nouns import Tokens
from deeprun.logic.offline_planner.phrases import Phrase, split_phrases
from deeprun.logic.offline_planner.references import referents
from deeprun.logic.offline_planner.tokens import tokenize
from deeprun.logic.review.context import ACCOUNT_ENTITY
from deeprun.logic.review.reserved import PROJECT_NAME_CLASHES, PYTHON_KEYWORDS

__all__ = ["OfflinePlan", "plan_offline"]

_MAX_PHRASES: Final = 400  # keeps a 100k-character prompt well under a second
_MAX_DESCRIPTION: Final = 2000
_FALLBACK_PROJECT: Final = "backend_api"
_MAX_PROJECT_WORDS: Final = 4
_ACCOUNT_NOUN_ENTITY: Final = "Account"


@dataclass(frozen=True, slots=True)
class OfflinePlan:
    document: dict[str, Any]  # a spec 1.1 document (plain JSON values) meant to pass review
    ignored: tuple[str, ...]  # the phrases of the prompt it did not use, in prompt order


def plan_offline(prompt: str) -> OfflinePlan:
    phrases = split_phrases(prompt)
    parsed = [(i, tokenize(p.text, p.start)) for i, p in enumerate(phrases[:_MAX_PHRASES])]
    catalog, readings = first_reading(_clauses(phrases, parsed))
    catalog = _undescribed_removed(catalog, readings, ACCOUNT_WORDS, _ACCOUNT_NOUN_ENTITY)
    access = read_access(parsed, catalog, referents(readings, catalog))
    if access.enabled:
        catalog = _undescribed_removed(catalog, readings, ACCOUNT_NOUNS, ACCOUNT_ENTITY)
    blueprint = Blueprint()
    reader = Reader(catalog, blueprint, accounts_are_entity=ACCOUNT_ENTITY in catalog.names)
    for reading in readings:
        reader.read(reading)
    read_features(parsed, catalog, blueprint)
    project, project_source = _project_name(readings)
    used = (
        blueprint.used | access.used | ({project_source} if project_source is not None else set())
    )
    document = {
        "spec_version": "1.1",
        "project_name": project,
        "description": phrases[0].text[:_MAX_DESCRIPTION] if phrases else "",
        "database": {"type": "postgres", "version": "16"},
        "auth": _auth(access),
        "entities": entity_documents(blueprint, access, catalog.names),
    }
    return OfflinePlan(
        document, _ignored(prompt, phrases, used - blueprint.unbuilt, blueprint.dropped)
    )


def _clauses(phrases: tuple[Phrase, ...], parsed: list[tuple[int, Tokens]]) -> list[Clause]:
    clauses: list[Clause] = []
    openings: dict[int, Opening | None] = {}
    bullets: dict[int, list[Tokens]] = {}
    for index, tokens in parsed:
        parent = phrases[index].parent
        if phrases[index].bullet and parent is not None:
            bullets.setdefault(parent, []).append(tokens)
    for index, tokens in parsed:
        phrase = phrases[index]
        context = (
            openings.get(phrase.parent) if phrase.bullet and phrase.parent is not None else None
        )
        under = tuple(bullets.get(index, ()))
        found, openings[index] = read_phrase(tokens, index, context, under)
        clauses.extend(found)
    return clauses


def _undescribed_removed(
    catalog: Catalog, readings: tuple[Reading, ...], heads: frozenset[str], entity: str
) -> Catalog:
    """Users (with auth on) and accounts ("each member has an account") are the built-in
    account model: ``entity`` stays an entity only where a sentence gives it fields of its own."""
    if entity not in catalog.names:
        return catalog
    described = any(
        r.mode == "fields"
        and r.subject is not None
        and r.subject.head in heads
        and any(_own_field(catalog, i) for i in r.items)
        for r in readings
    )
    kept = tuple(n for n in catalog.names if n != entity)
    return catalog if described else Catalog(kept, catalog.allowed)


def _own_field(catalog: Catalog, item: Item) -> bool:
    """An item that describes its subject: no other entity, no list, and no account ("each user
    has an account" says the user signs up, not what a user holds)."""
    account = item.words[-1] in ACCOUNT_NOUNS or item.words[-1] in ACCOUNT_WORDS
    return catalog.match(item.words) is None and item.count != "many" and not account


def _project_name(readings: tuple[Reading, ...]) -> tuple[str, int | None]:
    """ "a blog API" → blog_api, "an API for a library" → library_api, "a blog" → blog_api. A
    name made of interface words only ("a REST API") yields to a later one that names the thing
    ("a REST API for a bookstore" → bookstore_api)."""
    generic: tuple[str, int] | None = None
    for reading in readings:
        for noun in reading.domains:
            words = [w for w in noun.words if w not in ADJECTIVES and w.isascii()]
            if not words or (len(words) == 1 and words[0] in PROJECT_HEADS):
                continue
            if words[-1] in META_NOUNS and words[-1] not in PROJECT_HEADS:
                continue
            if words[-1] not in PROJECT_HEADS:
                words.append("api")
            name = to_snake("_".join(words[-_MAX_PROJECT_WORDS:]))
            if not name or name in PYTHON_KEYWORDS or name in PROJECT_NAME_CLASHES:
                continue
            if all(w in API_STYLES or w in PROJECT_HEADS for w in words):
                generic = generic or (name, reading.clause.source)
                continue
            return name, reading.clause.source
    return generic or (_FALLBACK_PROJECT, None)


def _auth(access: Access) -> dict[str, Any]:
    if not access.enabled:
        return {"enabled": False}
    auth: dict[str, Any] = {"enabled": True}
    default = access.default_role or "user"
    roles = [*access.roles, *([default] if default not in access.roles else [])]
    if roles != ["admin", "user"]:
        auth["roles"] = roles
    if default != "user":
        auth["default_role"] = default
    if access.admin_only:
        auth["registration"] = "admin_only"
    return auth


def _ignored(
    prompt: str, phrases: tuple[Phrase, ...], used: set[int], dropped: list[tuple[int, int]]
) -> tuple[str, ...]:
    headings = {p.parent for i, p in enumerate(phrases) if i in used and p.parent is not None}
    unused = [
        (p.start, p.text) for i, p in enumerate(phrases) if i not in used and i not in headings
    ]
    unused += [(start, prompt[start:end].strip()) for start, end in dropped]
    return tuple(text for _, text in sorted(unused))
