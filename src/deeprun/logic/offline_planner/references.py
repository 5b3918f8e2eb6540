"""Pronouns that stand for rows named just before: "Employees submit expense reports. Managers
approve them." approve the expense reports.

A pronoun right after a verb points back at what the clause before it (in the same sentence or
the one before) acted on: "them" at its object when that is one plural entity, "it" at one
singular. A clause further back, or one naming several entities ("orders with products"),
leaves the pronoun unread: a guess there would give rights over the wrong rows.
"""

from __future__ import annotations

from typing import Final

from deeprun.logic.offline_planner.clauses import Clause
from deeprun.logic.offline_planner.entities import Catalog, Reading
from deeprun.logic.offline_planner.nouns import word_class

# Object pronouns → whether what they stand for is plural.
_POINTING: Final = {"them": True, "it": False}
# Words joining more verbs to a clause's verb, before their shared object ("edit or delete").
_JOINERS: Final = frozenset({"and", "or", ","})


def referents(readings: tuple[Reading, ...], catalog: Catalog) -> dict[int, str]:
    """The entity each pronoun object stands for, by the pronoun's offset in the prompt."""
    found: dict[int, str] = {}
    acted: Reading | None = None  # the latest clause that acted on rows
    for reading in readings:
        at = _pronoun_object(reading.clause)
        if at is not None and acted is not None and _near(acted.clause, reading.clause):
            token = reading.clause.tokens[at]
            entity = _object(acted, catalog, plural=_POINTING[token.low])
            if entity is not None:
                found[token.start] = entity
        if reading.mode == "act" and reading.target is not None:
            acted = reading
    return found


def _pronoun_object(clause: Clause) -> int | None:
    """Where the clause's object is "them" or "it": "managers approve them", "(managers can)
    edit or delete them"."""
    index = clause.start
    while index < clause.end and (
        clause.tokens[index].low in _JOINERS or word_class(clause.tokens, index) in ("adv", "verb")
    ):
        index += 1
    return index if index < clause.end and clause.tokens[index].low in _POINTING else None


def _near(before: Clause, clause: Clause) -> bool:
    """In the same phrase, or in the one right before."""
    return clause.source - before.source in (0, 1)


def _object(reading: Reading, catalog: Catalog, *, plural: bool) -> str | None:
    """The one entity the reading acted on, in the number the pronoun asks for: none where it
    names others too ("orders with products", "comments on articles", the loans of "borrow")."""
    target = reading.target
    if target is None or target.plural != plural or reading.row is not None:
        return None
    entity = catalog.match(target.words)
    others = [i.noun for i in reading.items] + ([reading.about] if reading.about else [])
    if entity is None or any(catalog.match(n.words) not in (None, entity) for n in others):
        return None
    return entity
