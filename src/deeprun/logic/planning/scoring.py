"""How close a planned spec comes to what a careful designer expected from the same prompt.

Both sides become the same shape (entities with their typed fields, relations, features) and
are compared item by item, so recall and precision mean the usual things. Relations compare by
(source, kind, target), except where the direction is a matter of taste: a many_to_many or a
one_to_one pairs its two entities in either order. ``User`` counts only when the case expects
it, because with auth on the planner may declare the account model it adds anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_MANAGED = frozenset({"created_at", "updated_at", "deleted_at", "owner_id"})
_UNORDERED = frozenset({"many_to_many", "one_to_one"})
ACCOUNT = "User"


@dataclass(frozen=True, slots=True)
class Shape:
    """What is scored: ``fields`` maps entity to field to type; relations are triples, kept
    with repeats (a match has a home team and an away team)."""

    fields: Mapping[str, Mapping[str, str]]
    relations: tuple[tuple[str, str, str], ...]
    auth: bool
    owned: frozenset[str]
    soft_delete: frozenset[str]
    searchable: frozenset[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Tally:
    hits: int
    expected: int
    found: int

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.hits + other.hits, self.expected + other.expected, self.found + other.found
        )

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0

    def to_dict(self) -> dict[str, object]:
        return {
            "hits": self.hits,
            "expected": self.expected,
            "found": self.found,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
        }


DIMENSIONS = ("entities", "fields", "types", "relations", "owned", "soft_delete", "searchable")


def expected_shape(expected: Mapping[str, Any]) -> Shape:
    """A corpus case's ``expected`` block (bench/planner/README.md)."""
    return Shape(
        fields={name: dict(fields) for name, fields in expected["entities"].items()},
        relations=tuple(
            sorted(_relation(r["source"], r["kind"], r["target"]) for r in expected["relations"])
        ),
        auth=bool(expected["auth"]),
        owned=frozenset(expected["owned"]),
        soft_delete=frozenset(expected["soft_delete"]),
        searchable=frozenset(
            (entity, name) for entity, names in expected["searchable"].items() for name in names
        ),
    )


def planned_shape(canonical: Mapping[str, Any]) -> Shape:
    """A canonical spec, reduced to what a corpus case can expect."""
    entities = canonical["entities"]
    return Shape(
        fields={
            e["name"]: {
                f["name"]: f["type"]
                for f in e["fields"]
                if not f["primary_key"] and f["name"] not in _MANAGED
            }
            for e in entities
        },
        relations=tuple(
            sorted(
                _relation(e["name"], r["kind"], r["target"])
                for e in entities
                for r in e["relations"]
            )
        ),
        auth=bool(canonical["auth"]["enabled"]),
        owned=frozenset(e["name"] for e in entities if e["owned"]),
        soft_delete=frozenset(e["name"] for e in entities if e["soft_delete"]),
        searchable=frozenset(
            (e["name"], name) for e in entities for name in e["list"]["searchable"]
        ),
    )


def score(expected: Shape, planned: Shape) -> dict[str, Tally]:
    found = _without_account(planned) if ACCOUNT not in expected.fields else planned
    types_hit = sum(
        1
        for entity, fields in expected.fields.items()
        for name, kind in fields.items()
        if found.fields.get(entity, {}).get(name) == kind
    )
    fields_hit = _pairs(expected.fields) & _pairs(found.fields)
    return {
        "entities": _tally(expected.fields.keys(), found.fields.keys()),
        "fields": _tally(_pairs(expected.fields), _pairs(found.fields)),
        "types": Tally(types_hit, len(fields_hit), len(fields_hit)),
        "relations": _tally(expected.relations, found.relations),
        "owned": _tally(expected.owned, found.owned),
        "soft_delete": _tally(expected.soft_delete, found.soft_delete),
        "searchable": _tally(expected.searchable, found.searchable),
    }


def _without_account(shape: Shape) -> Shape:
    keep = {name: fields for name, fields in shape.fields.items() if name != ACCOUNT}
    return Shape(
        keep,
        tuple(r for r in shape.relations if ACCOUNT not in (r[0], r[2])),
        shape.auth,
        shape.owned - {ACCOUNT},
        shape.soft_delete - {ACCOUNT},
        frozenset(s for s in shape.searchable if s[0] != ACCOUNT),
    )


def _relation(source: str, kind: str, target: str) -> tuple[str, str, str]:
    if kind in _UNORDERED and target < source:
        source, target = target, source
    return (source, kind, target)


def _pairs(fields: Mapping[str, Mapping[str, str]]) -> set[tuple[str, str]]:
    return {(entity, name) for entity, names in fields.items() for name in names}


def _tally(expected: Iterable[object], found: Iterable[object]) -> Tally:
    """Counts with repeats: two expected relations to one target need two found."""
    wanted, got = Counter(expected), Counter(found)
    return Tally((wanted & got).total(), wanted.total(), got.total())
