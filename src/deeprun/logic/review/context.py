"""What every semantic rule reads: the validated spec, with each name already converted.

A name that does not convert is None here; the naming rules report it once, and the other rules
skip it rather than report a second, derived problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from deeprun.contracts.spec_ir import Entity11, Field11, Relation, Spec11
from deeprun.logic.naming import default_table_name, entity_name, to_snake
from deeprun.logic.review.pointers import pointer
from deeprun.logic.review.reserved import POSTGRES_RESERVED

PUBLIC: Final = "public"
AUTHENTICATED: Final = "authenticated"
OWNER: Final = "owner"
PRINCIPAL_KEYWORDS: Final = frozenset({PUBLIC, AUTHENTICATED, OWNER})
ACCOUNT_ENTITY: Final = "User"


@dataclass(frozen=True, slots=True)
class FieldView:
    index: int
    model: Field11
    name: str | None


@dataclass(frozen=True, slots=True)
class RelationView:
    index: int
    model: Relation
    name: str | None
    target: str | None

    @property
    def has_column(self) -> bool:
        return self.model.kind != "many_to_many"


@dataclass(frozen=True, slots=True)
class EntityView:
    index: int
    model: Entity11
    name: str | None
    table: str | None
    fields: tuple[FieldView, ...]
    relations: tuple[RelationView, ...]
    is_account: bool

    def path(self, *parts: str | int) -> str:
        return pointer("entities", self.index, *parts)

    def field(self, name: str) -> FieldView | None:
        return next((f for f in self.fields if f.name == name), None)

    def relation(self, name: str) -> RelationView | None:
        return next((r for r in self.relations if r.name == name), None)

    @property
    def managed_columns(self) -> frozenset[str]:
        """Columns the generated backend adds by itself, from the entity's flags."""
        columns = set()
        if self.model.timestamps:
            columns |= {"created_at", "updated_at"}
        if self.model.soft_delete:
            columns.add("deleted_at")
        if self.model.owned:
            columns.add("owner_id")
        return frozenset(columns)


@dataclass(frozen=True, slots=True)
class ReviewContext:
    spec: Spec11
    version: str
    entities: tuple[EntityView, ...]
    all_entity_names: frozenset[str]

    @property
    def auth_enabled(self) -> bool:
        return self.spec.auth.enabled

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r for r in (to_snake(role) for role in self.spec.auth.roles) if r)

    def entity(self, name: str) -> EntityView | None:
        return next((e for e in self.entities if e.name == name), None)

    def all_fields(self) -> Iterator[tuple[EntityView, FieldView]]:
        for entity in self.entities:
            for field in entity.fields:
                yield entity, field

    def all_relations(self) -> Iterator[tuple[EntityView, RelationView]]:
        for entity in self.entities:
            for relation in entity.relations:
                yield entity, relation


def build_context(
    spec: Spec11, version: str, indices: tuple[int, ...], all_entity_names: frozenset[str]
) -> ReviewContext:
    """``indices[k]`` is the position in the submitted document of ``spec.entities[k]``."""
    views = tuple(
        _entity_view(model, index, spec.auth.enabled)
        for index, model in zip(indices, spec.entities, strict=True)
    )
    return ReviewContext(spec, version, views, all_entity_names)


def _entity_view(model: Entity11, index: int, auth_enabled: bool) -> EntityView:
    name = entity_name(model.name)
    if model.table_name is not None:
        table = to_snake(model.table_name)
    else:
        table = _derived_table(name) if name else None
    return EntityView(
        index=index,
        model=model,
        name=name,
        table=table,
        fields=tuple(FieldView(i, f, to_snake(f.name)) for i, f in enumerate(model.fields)),
        relations=tuple(
            RelationView(i, r, to_snake(r.name), entity_name(r.target))
            for i, r in enumerate(model.relations)
        ),
        is_account=auth_enabled and name == ACCOUNT_ENTITY,
    )


def _derived_table(entity: str) -> str | None:
    """The default table; one that would be a reserved word (``A`` → ``as``) gets a suffix."""
    table = default_table_name(entity)
    return f"{table}_table" if table in POSTGRES_RESERVED else table
