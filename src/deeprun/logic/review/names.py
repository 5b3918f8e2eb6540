"""Naming rules: identifiers that convert, reserved words, and uniqueness after conversion."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

from deeprun.contracts.problems import Problem, ProblemCode
from deeprun.logic.naming import MAX_IDENTIFIER, to_snake, to_words
from deeprun.logic.review.context import PRINCIPAL_KEYWORDS, EntityView, ReviewContext
from deeprun.logic.review.reserved import (
    ACCOUNT_MANAGED_FIELDS,
    ACCOUNT_TABLE,
    ALEMBIC_TABLE,
    LIST_QUERY_PARAMETERS,
    POSTGRES_RESERVED,
    PROJECT_NAME_CLASHES,
    PYTHON_KEYWORDS,
    REFRESH_TOKEN_TABLE,
    RESERVED_MODULES,
)

_INVALID: Final = ProblemCode.INVALID_IDENTIFIER
_RESERVED: Final = ProblemCode.RESERVED_NAME


def invalid_identifier(path: str, raw: str) -> Problem:
    """The one message for a name that cannot become an identifier, saying why."""
    if to_words(raw) is not None:
        why = f"is longer than {MAX_IDENTIFIER} characters once converted"
    else:
        why = (
            "must start with a letter and hold only letters, digits and single "
            "spaces, hyphens or underscores"
        )
    return Problem(_INVALID, path, f"{raw!r} {why}")


def check_project_name(ctx: ReviewContext) -> Iterator[Problem]:
    raw = ctx.spec.project_name
    name = to_snake(raw)
    if name is None:
        yield invalid_identifier("/project_name", raw)
    elif name in PYTHON_KEYWORDS or name in PROJECT_NAME_CLASHES:
        yield Problem(
            _RESERVED,
            "/project_name",
            f"project name {name!r} clashes with a Python keyword or a package "
            "the generated project uses",
        )


def check_entity_names(ctx: ReviewContext) -> Iterator[Problem]:
    seen: set[str] = set()
    for entity in ctx.entities:
        path = entity.path("name")
        if entity.name is None:
            yield invalid_identifier(path, entity.model.name)
            continue
        module = to_snake(entity.name)
        if entity.name in PYTHON_KEYWORDS or module in RESERVED_MODULES:
            yield Problem(
                _RESERVED, path, f"entity name {entity.name!r} is taken by the generated project"
            )
        if entity.name in seen:
            yield Problem(
                ProblemCode.DUPLICATE_ENTITY,
                path,
                f"entity {entity.name!r} is declared more than once",
            )
        seen.add(entity.name)


def check_table_names(ctx: ReviewContext) -> Iterator[Problem]:
    owned_tables = {ALEMBIC_TABLE}
    if ctx.auth_enabled:
        owned_tables.add(REFRESH_TOKEN_TABLE)
        if not any(e.is_account for e in ctx.entities):
            owned_tables.add(ACCOUNT_TABLE)
    seen: set[str] = set()
    for entity in ctx.entities:
        path = entity.path("table_name")
        if entity.model.table_name is not None and entity.table is None:
            yield invalid_identifier(path, entity.model.table_name)
        if entity.table is None:
            continue
        if entity.table in POSTGRES_RESERVED or entity.table in owned_tables:
            yield Problem(
                _RESERVED,
                path,
                f"table name {entity.table!r} is reserved by PostgreSQL or the generated backend",
            )
        if entity.table in seen:
            yield Problem(
                ProblemCode.DUPLICATE_TABLE,
                path,
                f"table {entity.table!r} is used by more than one entity",
            )
        seen.add(entity.table)


def check_member_names(ctx: ReviewContext) -> Iterator[Problem]:
    """Fields and relations: convertible, not reserved, unique within their entity."""
    for entity in ctx.entities:
        yield from _field_names(entity)
        yield from _relation_names(entity)


def _field_names(entity: EntityView) -> Iterator[Problem]:
    seen: set[str] = set()
    for field in entity.fields:
        path = entity.path("fields", field.index, "name")
        if field.name is None:
            yield invalid_identifier(path, field.model.name)
            continue
        reason = _reserved_column(field.name, entity)
        if reason:
            yield Problem(_RESERVED, path, f"field name {field.name!r} {reason}")
        if field.name in seen:
            yield Problem(
                ProblemCode.DUPLICATE_FIELD,
                path,
                f"field {field.name!r} is declared more than once",
            )
        seen.add(field.name)


def _reserved_column(name: str, entity: EntityView) -> str | None:
    if name in PYTHON_KEYWORDS:
        return "is a Python keyword"
    if name in POSTGRES_RESERVED:
        return "is a PostgreSQL reserved key word"
    if name in LIST_QUERY_PARAMETERS:
        return "is a list query parameter"
    if name in entity.managed_columns:
        return "is a column the entity's flags already add"
    if entity.is_account and name in ACCOUNT_MANAGED_FIELDS:
        return "is managed by the account model"
    return None


def _relation_names(entity: EntityView) -> Iterator[Problem]:
    fields = {f.name for f in entity.fields if f.name}
    seen: set[str] = set()
    for relation in entity.relations:
        path = entity.path("relations", relation.index, "name")
        name = relation.name
        if name is None:
            yield invalid_identifier(path, relation.model.name)
            continue
        if name in PYTHON_KEYWORDS or name in LIST_QUERY_PARAMETERS:
            yield Problem(_RESERVED, path, f"relation name {name!r} is reserved")
        column = f"{name}_id"
        if relation.has_column and (
            column in entity.managed_columns or len(column) > MAX_IDENTIFIER
        ):
            yield Problem(_RESERVED, path, f"relation column {column!r} cannot be used")
        clashes = {name, column} & (fields | seen)
        if clashes:
            yield Problem(
                ProblemCode.DUPLICATE_FIELD,
                path,
                f"relation {name!r} clashes with {', '.join(sorted(clashes))}",
            )
        seen |= {name, column}


def check_enum_values(ctx: ReviewContext) -> Iterator[Problem]:
    for entity, field in ctx.all_fields():
        for index, raw in enumerate(field.model.values or ()):
            yield from _value(entity.path("fields", field.index, "values", index), raw)
        yield from _duplicates(
            (entity.path("fields", field.index, "values", i), to_snake(v))
            for i, v in enumerate(field.model.values or ())
        )


def _value(path: str, raw: str) -> Iterator[Problem]:
    if to_snake(raw) is None:
        yield invalid_identifier(path, raw)


def _duplicates(named: Iterable[tuple[str, str | None]]) -> Iterator[Problem]:
    seen: set[str] = set()
    for path, name in named:
        if name is None:
            continue
        if name in seen:
            yield Problem(ProblemCode.DUPLICATE_VALUE, path, f"{name!r} appears more than once")
        seen.add(name)


def check_roles(ctx: ReviewContext) -> Iterator[Problem]:
    roles = ctx.spec.auth.roles
    for index, raw in enumerate(roles):
        path = f"/auth/roles/{index}"
        yield from _value(path, raw)
        if to_snake(raw) in PRINCIPAL_KEYWORDS:
            yield Problem(_RESERVED, path, f"{raw!r} is a principal keyword, not a role")
    yield from _duplicates((f"/auth/roles/{i}", to_snake(r)) for i, r in enumerate(roles))
