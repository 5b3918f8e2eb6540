"""Reference rules: names inside unique_together, indexes, list options and seed rows exist and
fit their use."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydantic import JsonValue

from deeprun.contracts.problems import Problem, ProblemCode
from deeprun.logic.naming import to_snake
from deeprun.logic.review.context import EntityView, FieldView, RelationView, ReviewContext
from deeprun.logic.review.literals import literal_problem


@dataclass(frozen=True, slots=True)
class Reference:
    """What a name in a list of names points at: a field, a relation or a managed column."""

    name: str
    field: FieldView | None = None
    relation: RelationView | None = None

    def unfit(self, *, searchable: bool = False, any_relation: bool = False) -> str | None:
        if self.field is not None:
            model = self.field.model
            if model.write_only:
                return "is write_only and cannot be exposed through lists or indexes"
            if searchable and model.type not in ("string", "text"):
                return "is not a string or text field"
            if model.type == "json":
                return "is a json field"
        elif self.relation is not None:
            if searchable:
                return "is a relation, not a string or text field"
            if not (self.relation.has_column or any_relation):
                return "is a many_to_many relation"
        elif searchable:
            return "is not a string or text field"
        return None


def resolve(entity: EntityView, raw: str) -> Reference | None:
    """The canonical target of ``raw`` in ``entity``; ``author_id`` also names relation author."""
    name = to_snake(raw)
    if name is None:
        return None
    field = entity.field(name)
    if field is not None:
        return Reference(name, field=field)
    relation = entity.relation(name)
    if relation is None and name.endswith("_id"):
        relation = entity.relation(name.removesuffix("_id"))
        relation = relation if relation and relation.has_column else None
    if relation is not None and relation.name:
        return Reference(relation.name, relation=relation)
    return Reference(name) if name in entity.managed_columns else None


def check_key_lists(ctx: ReviewContext) -> Iterator[Problem]:
    for entity in ctx.entities:
        for key in ("unique_together", "indexes"):
            for index, names in enumerate(getattr(entity.model, key)):
                yield from _names(entity, names, (key, index))


def check_list_options(ctx: ReviewContext) -> Iterator[Problem]:
    for entity in ctx.entities:
        options = entity.model.list_options
        if options.default_sort is not None:
            yield from _names(
                entity,
                [options.default_sort.removeprefix("-")],
                ("list", "default_sort"),
                single=True,
            )
        yield from _names(entity, options.sortable, ("list", "sortable"))
        yield from _names(entity, options.filterable, ("list", "filterable"), any_relation=True)
        yield from _names(entity, options.searchable, ("list", "searchable"), searchable=True)


def _names(
    entity: EntityView,
    names: Sequence[str],
    where: tuple[str | int, ...],
    *,
    single: bool = False,
    searchable: bool = False,
    any_relation: bool = False,
) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, raw in enumerate(names):
        path = entity.path(*where) if single else entity.path(*where, index)
        reference = resolve(entity, raw)
        if reference is None:
            yield Problem(
                ProblemCode.UNKNOWN_REFERENCE,
                path,
                f"{raw!r} is not a field or relation of {entity.model.name}",
            )
            continue
        reason = reference.unfit(searchable=searchable, any_relation=any_relation)
        if reason:
            yield Problem(ProblemCode.CONSTRAINT_MISMATCH, path, f"{raw!r} {reason}")
        if reference.name in seen:
            yield Problem(ProblemCode.DUPLICATE_VALUE, path, f"{raw!r} is listed twice")
        seen.add(reference.name)


def check_seed(ctx: ReviewContext) -> Iterator[Problem]:
    for entity in ctx.entities:
        if entity.model.seed and entity.is_account:
            yield Problem(
                ProblemCode.CONSTRAINT_MISMATCH,
                entity.path("seed"),
                "the account entity is not seeded; the first admin comes from "
                "FIRST_ADMIN_EMAIL and FIRST_ADMIN_PASSWORD",
            )
            continue
        for index, row in enumerate(entity.model.seed):
            yield from _seed_row(entity, row, index)


def _seed_row(entity: EntityView, row: dict[str, JsonValue], index: int) -> Iterator[Problem]:
    given: set[str] = set()
    for raw, value in row.items():
        path = entity.path("seed", index, raw)
        reference = resolve(entity, raw)
        if reference is None or reference.name in entity.managed_columns:
            yield Problem(
                ProblemCode.UNKNOWN_REFERENCE,
                path,
                f"{raw!r} is not a field or relation column of {entity.model.name}",
            )
            continue
        given.add(reference.name)
        if reference.relation is not None and reference.relation.has_column:
            yield from _seed_relation(entity, reference.relation, value, path)
        elif reference.field is not None:
            reason = literal_problem(reference.field.model, value)
            if reason:
                yield Problem(ProblemCode.DEFAULT_TYPE, path, f"seed value {reason}")
        else:
            yield Problem(
                ProblemCode.CONSTRAINT_MISMATCH,
                path,
                f"{raw!r} is a many_to_many relation; seed rows hold columns only",
            )
    for missing in sorted(_required(entity) - given):
        yield Problem(
            ProblemCode.SCHEMA,
            entity.path("seed", index),
            f"seed row lacks the required {missing!r}",
        )


def _seed_relation(
    entity: EntityView, relation: RelationView, value: JsonValue, path: str
) -> Iterator[Problem]:
    if value is None and relation.model.nullable:
        return
    if isinstance(value, bool) or not isinstance(value, int | str):
        yield Problem(
            ProblemCode.DEFAULT_TYPE,
            path,
            "seed value of a relation is the target's primary key (UUID string or integer)",
        )


def _required(entity: EntityView) -> set[str]:
    fields = {
        f.name
        for f in entity.fields
        if f.name
        and not (f.model.primary_key or f.model.nullable or f.model.read_only)
        and f.model.default is None
    }
    relations = {
        r.name for r in entity.relations if r.name and r.has_column and not r.model.nullable
    }
    return fields | relations
