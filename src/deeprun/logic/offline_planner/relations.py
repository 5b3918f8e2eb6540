"""Relations as the spec wants them: one per pair of entities, named, with a reverse name that
clashes with nothing, and no loop of required foreign keys.

Several sentences often describe one relation ("each post belongs to an author", "authors have
many posts"): claims about the same pair merge. Many-to-many wins when any claim says so; the
first claim decides the direction of a many-to-one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from deeprun.logic.naming import default_table_name, to_snake
from deeprun.logic.offline_planner.draft import EntityDraft, RelationDraft
from deeprun.logic.review.reserved import LIST_QUERY_PARAMETERS, PYTHON_KEYWORDS

Relation = dict[str, Any]
_M2M: Final = "many_to_many"
_MAX_NAME: Final = 40


def merge(claims: list[RelationDraft], entities: set[str]) -> list[RelationDraft]:
    """The relations the claims add up to, in the order they were first claimed."""
    kept: list[RelationDraft] = []
    pairs: dict[frozenset[str], list[RelationDraft]] = {}
    for claim in claims:
        if claim.source in entities and claim.target in entities:
            pairs.setdefault(frozenset((claim.source, claim.target)), []).append(claim)
    order = {id(c): i for i, c in enumerate(claims)}
    for pair_claims in pairs.values():
        for claim in _merge_pair(pair_claims):
            order.setdefault(id(claim), order[id(pair_claims[0])])
            kept.append(claim)
    return sorted(kept, key=lambda c: order[id(c)])


def _merge_pair(claims: list[RelationDraft]) -> list[RelationDraft]:
    if claims[0].source == claims[0].target:
        return _unique_names(claims)
    shared = [c for c in claims if c.kind == _M2M]
    if shared:
        return [shared[0]]
    single = [c for c in claims if c.kind == "one_to_one"]
    if single:
        return [single[0]]
    first = claims[0]
    if _both_ways(claims):  # "a book has many authors", "an author writes many books"
        return [replace(first, kind=_M2M, name=default_table_name(first.target) or first.name)]
    if any(not _default_name(c) for c in claims):  # "a captain who is a player": two relations
        return _unique_names(claims)
    return _unique_names([c for c in claims if c.source == first.source])


def _both_ways(claims: list[RelationDraft]) -> bool:
    """Foreign keys claimed in both directions between two entities mean many-to-many."""
    return len({c.source for c in claims if c.kind == "many_to_one" and _default_name(c)}) == 2


def _default_name(claim: RelationDraft) -> bool:
    return claim.name == to_snake(claim.target)


def _unique_names(claims: list[RelationDraft]) -> list[RelationDraft]:
    seen: dict[tuple[str, str], RelationDraft] = {}
    for claim in claims:
        seen.setdefault((claim.source, claim.name), claim)
    return list(seen.values())


def build(
    relations: list[RelationDraft], drafts: dict[str, EntityDraft]
) -> dict[str, list[Relation]]:
    """Spec relations per entity; fields that a relation replaces are removed from ``drafts``."""
    built: dict[str, list[Relation]] = {name: [] for name in drafts}
    required: dict[str, set[str]] = {}
    for claim in relations:
        draft = drafts[claim.source]
        name = _free_name(claim, built[claim.source])
        draft.fields.pop(name, None)
        draft.fields.pop(f"{name}_id", None)
        relation: Relation = {"name": name, "kind": claim.kind, "target": claim.target}
        if claim.kind != _M2M:
            nullable = claim.nullable or claim.source == claim.target
            nullable = nullable or _reaches(required, claim.target, claim.source)
            if nullable:
                relation.update(nullable=True, on_delete="set_null")
            else:
                required.setdefault(claim.source, set()).add(claim.target)
        built[claim.source].append(relation)
    _reverse_names(built, drafts)
    return built


def _free_name(claim: RelationDraft, taken: list[Relation]) -> str:
    name = claim.name[:_MAX_NAME].strip("_")
    if name in PYTHON_KEYWORDS or name in LIST_QUERY_PARAMETERS or name == "id":
        name = f"{name}_ref"
    names = {r["name"] for r in taken}
    if name in names:
        name = to_snake(claim.target) or name
    while name in names:
        name = f"{name}_ref"
    return name


def _reaches(required: dict[str, set[str]], start: str, goal: str) -> bool:
    """Whether required foreign keys already lead from ``start`` to ``goal``."""
    seen, stack = set[str](), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(sorted(required.get(node, ())))
    return False


def _reverse_names(built: dict[str, list[Relation]], drafts: dict[str, EntityDraft]) -> None:
    taken = {name: _names_on(name, built, drafts[name]) for name in drafts}
    for source, relations in built.items():
        for relation in relations:
            target = relation["target"]
            if target == source:
                continue
            plural = default_table_name(source) or ""
            for candidate in (plural, f"{relation['name']}_{plural}"):
                if candidate and candidate not in taken[target] and len(candidate) <= _MAX_NAME:
                    relation["back_populates"] = candidate
                    taken[target].add(candidate)
                    break


def _names_on(entity: str, built: dict[str, list[Relation]], draft: EntityDraft) -> set[str]:
    names = set(draft.fields) | {"id", "created_at", "updated_at", "deleted_at", "owner_id"}
    for relation in built[entity]:
        names |= {relation["name"], f"{relation['name']}_id"}
    return names
