"""Alembic revisions written as the difference between two schemas.

The initial revision is the difference from the empty schema; each later one, from the schema
of the spec the project was last compiled from. Downgrades are the same difference taken the
other way. The order is the one PostgreSQL needs: keys and constraints leave before what they
name, tables are created before anything refers to them.

What cannot be kept is still written, and said: a dropped table or column, a narrowed type, a
key change that rebuilds a table are ``destructive``; a change that existing rows may refuse
(a new NOT NULL column without a value, a new unique or check constraint) carries a ``warning``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Final, TypeVar

from deeprun.logic.compiler.schema import EMPTY, Column, Constraint, Index, Schema, Table

_NUMBERS: Final = frozenset({"integer", "float", "decimal"})
_TEXTS: Final = frozenset({"string", "text", "enum"})
_TIMES: Final = frozenset({"date", "datetime"})
Part = TypeVar("Part", Constraint, Index)
_ROOMY: Final = 64
"""A varchar at least this long holds any number, date, time or uuid as text."""


@dataclass(frozen=True, slots=True)
class Change:
    text: str
    destructive: bool = False
    warning: str = ""

    def __str__(self) -> str:
        if self.destructive:
            return f"{self.text} (destructive: {self.warning})"
        return f"{self.text} ({self.warning})" if self.warning else self.text


@dataclass(frozen=True, slots=True)
class RevisionView:
    """What the revision template prints."""

    revision: str
    down_revision: str | None
    title: str
    upgrade: tuple[str, ...]
    downgrade: tuple[str, ...]
    changes: tuple[Change, ...]

    @property
    def path(self) -> str:
        slug = "schema_update" if self.down_revision else "initial"
        return f"migrations/versions/{self.revision}_{slug}.py"

    @property
    def destructive(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.destructive)

    @property
    def warnings(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.warning and not c.destructive)


def initial(after: Schema) -> RevisionView:
    up, _ = _steps(EMPTY, after)
    down, _ = _steps(after, EMPTY)
    return RevisionView("0001", None, "Initial schema", up, down, ())


def revision(before: Schema, after: Schema, number: str, down: str | None) -> RevisionView | None:
    """The revision from ``before`` to ``after``; None when the schemas are the same."""
    up, changes = _steps(before, after)
    if not up:
        return None
    back, _ = _steps(after, before)
    return RevisionView(number, down, "Schema update", up, back, changes)


@dataclass(slots=True)
class _Plan:
    """Operations and changes collected in the order they must run."""

    operations: list[str]
    changes: list[Change]

    def add(self, operation: str, change: Change | None = None) -> None:
        self.operations.append(operation)
        if change is not None:
            self.changes.append(change)


def _steps(before: Schema, after: Schema) -> tuple[tuple[str, ...], tuple[Change, ...]]:
    old = {t.name: t for t in before.tables}
    new = {t.name: t for t in after.tables}
    rebuilt = {name for name in old.keys() & new.keys() if _rebuilds(old[name], new[name])}
    kept = [t for t in after.tables if t.name in old and t.name not in rebuilt]
    replaced = {(t.name, c) for t in kept for c in _replaced_columns(old[t.name], t)}
    plan = _Plan([], [])

    def moved(table: str, column: str, target: str) -> bool:
        return table in rebuilt or target in rebuilt or (table, column) in replaced

    keys_before = {k.name: k for k in before.foreign_keys}
    keys_after = {k.name: k for k in after.foreign_keys}
    for key in reversed(before.foreign_keys):
        if keys_after.get(key.name) != key or moved(key.table, key.column, key.target):
            plan.add(key.drop)
    for table in kept:
        _drop_parts(plan, old[table.name], table, replaced)
    for table in reversed(before.tables):
        if table.name not in new or table.name in rebuilt:
            why = "rebuilt for its new key" if table.name in rebuilt else "dropped"
            plan.add(
                f'op.drop_table("{table.name}")',
                Change(f"drop table {table.name}", True, f"{why}: its rows are lost"),
            )
    for table in after.tables:
        if table.name not in old or table.name in rebuilt:
            plan.add(table.create, Change(f"create table {table.name}"))
            for index in table.indexes:
                plan.add(index.create)
    for table in kept:
        _column_steps(plan, old[table.name], table)
    for table in kept:
        _create_parts(plan, old[table.name], table, replaced)
    for key in after.foreign_keys:
        if keys_before.get(key.name) != key or moved(key.table, key.column, key.target):
            plan.add(key.create, Change(f"add foreign key {key.name} on {key.table}"))
    return tuple(plan.operations), tuple(plan.changes)


def _rebuilds(before: Table, after: Table) -> bool:
    """Tables made of keys change only whole; any table changes whole when its key does."""
    if before.whole or after.whole:
        return before != after
    return before.key != after.key or before.primary != after.primary


def _replaced_columns(before: Table, after: Table) -> Iterator[str]:
    """Columns whose type cannot be cast: dropped and added again."""
    old = {c.name: c for c in before.columns}
    for column in after.columns:
        previous = old.get(column.name)
        if previous is not None and not _castable(previous, column):
            yield column.name


def _touches(columns: Iterable[str], table: str, replaced: set[tuple[str, str]]) -> bool:
    return any((table, c) in replaced for c in columns)


def _changed(
    parts: Iterable[Part], others: Iterable[Part], table: str, replaced: set[tuple[str, str]]
) -> Iterator[Part]:
    """Parts (constraints, indexes) of one side the other side lacks or has otherwise, and
    those on a column that is dropped and re-added. Primary keys change only with the table."""
    counterpart = {part.name: part for part in others}
    for part in parts:
        if isinstance(part, Constraint) and part.kind == "primary":
            continue
        if counterpart.get(part.name) != part or _touches(part.columns, table, replaced):
            yield part


def _drop_parts(plan: _Plan, before: Table, after: Table, replaced: set[tuple[str, str]]) -> None:
    for index in _changed(before.indexes, after.indexes, after.name, replaced):
        plan.add(index.drop(after.name))
    for constraint in _changed(before.constraints, after.constraints, after.name, replaced):
        plan.add(constraint.drop(after.name))


def _create_parts(plan: _Plan, before: Table, after: Table, replaced: set[tuple[str, str]]) -> None:
    for constraint in _changed(after.constraints, before.constraints, after.name, replaced):
        warning = (
            "fails if existing rows repeat a value"
            if constraint.kind == "unique"
            else "fails if an existing row breaks it"
        )
        text = f"add {constraint.kind} constraint {constraint.name} on {after.name}"
        plan.add(constraint.create, Change(text, warning=warning))
    for index in _changed(after.indexes, before.indexes, after.name, replaced):
        plan.add(index.create, _index_change(index, after.name))


def _index_change(index: Index, table: str) -> Change:
    unique = "unique=True" in index.create
    warning = "fails if existing rows repeat a value" if unique else ""
    return Change(f"add index {index.name} on {table}", warning=warning)


def _column_steps(plan: _Plan, before: Table, after: Table) -> None:
    table = after.name
    old = {c.name: c for c in before.columns}
    new = {c.name: c for c in after.columns}
    for column in before.columns:
        gone = column.name not in new
        if gone or not _castable(column, new[column.name]):
            plan.add(
                f'op.drop_column("{table}", "{column.name}")',
                Change(f"drop column {table}.{column.name}", True, "its values are lost")
                if gone
                else None,
            )
    for column in after.columns:
        previous = old.get(column.name)
        if previous is None:
            _add_column(plan, table, column, Change(f"add column {table}.{column.name}"))
        elif not _castable(previous, column):
            text = (
                f"replace column {table}.{column.name} ({previous.sql_type} to {column.sql_type})"
            )
            _add_column(plan, table, column, Change(text, True, "no cast keeps its values"))
        elif previous != column:
            _alter_column(plan, table, previous, column)


def _add_column(plan: _Plan, table: str, column: Column, change: Change) -> None:
    if column.nullable or column.server_default is not None or column.identity:
        plan.add(f'op.add_column("{table}", {column.definition})', change)
        return
    if column.fill is None:
        loose = replace(column, nullable=True)
        plan.add(
            f'op.add_column("{table}", {loose.definition})',
            replace(change, warning=change.warning or "fails if the table has rows: no value"),
        )
        plan.add(_alter(table, column, nullable="False"))
        return
    filled = replace(column, server_default=_text(column.fill))
    plan.add(f'op.add_column("{table}", {filled.definition})', change)
    plan.add(_alter(table, column, server_default="None"))


def _alter_column(plan: _Plan, table: str, before: Column, after: Column) -> None:
    name = f"{table}.{after.name}"
    if before.sql_type != after.sql_type or before.kind != after.kind:
        if before.server_default is not None:
            plan.add(_alter(table, before, server_default="None"))
        narrowing = _narrowing(before, after)
        plan.add(
            _alter(table, before, type_=after.type, postgresql_using=repr(_using(before, after))),
            Change(
                f"alter column {name} ({before.sql_type} to {after.sql_type})",
                narrowing,
                "values may be cut or refused" if narrowing else "",
            ),
        )
        before = replace(before, type=after.type, server_default=None)
    if before.server_default != after.server_default:
        default = after.server_default or "None"
        plan.add(_alter(table, before, server_default=default), Change(f"set default of {name}"))
    if before.nullable and not after.nullable:
        if after.fill is None:
            change = Change(f"make {name} required", warning="fails if a row has no value")
        else:
            quoted = f'"{after.name}"'
            # reviewed identifiers and a literal the compiler wrote: nothing from a request
            statement = f'UPDATE "{table}" SET {quoted} = {after.fill} WHERE {quoted} IS NULL'  # noqa: S608
            plan.add(f"op.execute(sa.text({json.dumps(statement)}))")
            change = Change(f"make {name} required", warning=f"empty values become {after.fill}")
        plan.add(_alter(table, replace(before, type=after.type), nullable="False"), change)
    elif after.nullable and not before.nullable:
        plan.add(_alter(table, replace(before, type=after.type), nullable="True"))


def _alter(table: str, column: Column, **changes: str) -> str:
    """``op.alter_column`` with the column's current type and nullability stated."""
    args = [
        f'"{table}"',
        f'"{column.name}"',
        f"existing_type={column.type}",
        f"existing_nullable={column.nullable}",
        *(f"{key}={value}" for key, value in changes.items()),
    ]
    return f"op.alter_column({', '.join(args)})"


def _text(sql: str) -> str:
    return f"sa.text({json.dumps(sql)})"


def _castable(before: Column, after: Column) -> bool:
    """Whether PostgreSQL can convert the values in place."""
    old, new = before.kind, after.kind
    if old == new or (old in _NUMBERS and new in _NUMBERS) or {old, new} == set(_TIMES):
        return True
    return new in _TEXTS and old != "json"


def _using(before: Column, after: Column) -> str:
    """The cast; a narrower varchar keeps each value's start rather than refusing it."""
    quoted = f'"{after.name}"'
    length = _length(after.sql_type)
    if length is not None and _narrowing(before, after):
        return f"left({quoted}::text, {length})"
    return f"{quoted}::{after.sql_type}"


def _narrowing(before: Column, after: Column) -> bool:
    """Whether some value the column holds now may not survive the new type."""
    old, new = before.kind, after.kind
    if new in _TEXTS:
        room = _length(after.sql_type)
        if room is None:
            return False
        if old in _TEXTS:
            held = _length(before.sql_type)
            return held is None or room < held
        return room < _ROOMY
    if new in _NUMBERS:
        return _digits(after) < _digits(before) or _scale(after) < _scale(before)
    return old == "datetime" and new == "date"


def _length(sql_type: str) -> int | None:
    found = re.fullmatch(r"varchar\((\d+)\)", sql_type)
    return int(found.group(1)) if found else None


def _numeric(column: Column) -> tuple[int, int] | None:
    found = re.fullmatch(r"numeric\((\d+), (\d+)\)", column.sql_type)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _digits(column: Column) -> float:
    """Digits before the decimal point the type holds (a bigint: 19; a double: any)."""
    numeric = _numeric(column)
    if numeric is not None:
        return numeric[0] - numeric[1]
    return 19 if column.kind == "integer" else float("inf")


def _scale(column: Column) -> float:
    numeric = _numeric(column)
    if numeric is not None:
        return numeric[1]
    return 0 if column.kind == "integer" else float("inf")
