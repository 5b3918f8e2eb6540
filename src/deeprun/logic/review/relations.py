"""Relation rules: targets exist, set_null is nullable, required relations form no cycle,
reverse names and association tables do not collide."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from deeprun.contracts.problems import Problem, ProblemCode
from deeprun.logic.graphs import strongly_connected
from deeprun.logic.naming import MAX_IDENTIFIER, to_snake
from deeprun.logic.review.context import EntityView, RelationView, ReviewContext
from deeprun.logic.review.names import invalid_identifier

Edge = tuple[EntityView, RelationView]
_MANY_TO_MANY: Final = "many_to_many"


def check_targets(ctx: ReviewContext) -> Iterator[Problem]:
    for entity, relation in ctx.all_relations():
        if relation.target not in ctx.all_entity_names:
            yield Problem(
                ProblemCode.RELATION_TARGET_UNKNOWN,
                entity.path("relations", relation.index, "target"),
                f"no entity named {relation.model.target!r}",
            )


def check_nullability(ctx: ReviewContext) -> Iterator[Problem]:
    for entity, relation in ctx.all_relations():
        model = relation.model
        if model.on_delete == "set_null" and not model.nullable:
            yield Problem(
                ProblemCode.RELATION_SET_NULL_NOT_NULLABLE,
                entity.path("relations", relation.index, "on_delete"),
                "on_delete set_null needs nullable: true",
            )
        if model.kind == _MANY_TO_MANY and model.nullable:
            yield Problem(
                ProblemCode.CONSTRAINT_MISMATCH,
                entity.path("relations", relation.index, "nullable"),
                "nullable applies to many_to_one and one_to_one relations",
            )


def check_cycles(ctx: ReviewContext) -> Iterator[Problem]:
    """Required foreign keys that loop make the first row impossible to insert."""
    edges: dict[str, list[Edge]] = {}
    for entity, relation in ctx.all_relations():
        model = relation.model
        if entity.name and relation.target and relation.has_column and not model.nullable:
            edges.setdefault(entity.name, []).append((entity, relation))
    for component in _cycles(edges):
        entity, relation = component[0]
        loop = " → ".join(f"{e.name}.{r.name}" for e, r in component)
        yield Problem(
            ProblemCode.RELATION_CYCLE,
            entity.path("relations", relation.index),
            f"required relations form a cycle ({loop}); make one nullable",
        )


def _cycles(edges: dict[str, list[Edge]]) -> Iterator[list[Edge]]:
    """Each strongly connected component with a cycle, as its edges in document order."""
    targets = {node: [r.target for _, r in out if r.target] for node, out in edges.items()}
    for component in strongly_connected(targets):
        inside = [
            edge
            for node in sorted(component)
            for edge in edges.get(node, [])
            if edge[1].target in component
        ]
        if inside:
            yield sorted(inside, key=lambda edge: (edge[0].index, edge[1].index))


def check_reverse_names(ctx: ReviewContext) -> Iterator[Problem]:
    taken: dict[str, set[str]] = {}
    for target in ctx.entities:
        if target.name:
            names = {f.name for f in target.fields if f.name}
            names |= {r.name for r in target.relations if r.name}
            names |= {f"{r.name}_id" for r in target.relations if r.name and r.has_column}
            taken[target.name] = names | target.managed_columns
    for entity, relation in ctx.all_relations():
        reverse = relation.model.back_populates
        if reverse is None or relation.target not in taken:
            continue
        path = entity.path("relations", relation.index, "back_populates")
        name = to_snake(reverse)
        if name is None:
            yield invalid_identifier(path, reverse)
            continue
        names = taken[relation.target]
        if name in names:
            yield Problem(
                ProblemCode.DUPLICATE_FIELD,
                path,
                f"{name!r} is already a name on {relation.target}",
            )
        names.add(name)


def check_association_tables(ctx: ReviewContext) -> Iterator[Problem]:
    tables = {e.table for e in ctx.entities if e.table}
    for entity, relation in ctx.all_relations():
        if relation.model.kind != _MANY_TO_MANY or not (entity.table and relation.name):
            continue
        table = f"{entity.table}_{relation.name}"
        path = entity.path("relations", relation.index, "name")
        if len(table) > MAX_IDENTIFIER:
            yield Problem(
                ProblemCode.INVALID_IDENTIFIER,
                path,
                f"association table {table!r} is longer than {MAX_IDENTIFIER} characters",
            )
        elif table in tables:
            yield Problem(
                ProblemCode.DUPLICATE_TABLE, path, f"association table {table!r} is already a table"
            )
        tables.add(table)
