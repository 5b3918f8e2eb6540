"""The database schema a spec asks for, as data: tables, columns, constraints, indexes, keys.

Every migration is written from two of these (the initial one from an empty schema), so the
revisions and the SQLAlchemy models agree by construction: the same names, marked final on both
sides, the same types and defaults. Each part carries the Alembic text that creates it; the
revision writer decides only which parts to create, drop or alter, and in what order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from deeprun.logic.compiler.field_types import TYPES, UUID_DEFAULT
from deeprun.logic.compiler.project import (
    AuthView,
    ConstraintView,
    KeyView,
    LinkView,
    ModuleView,
    ProjectView,
)
from deeprun.logic.compiler.view import ColumnView
from deeprun.logic.review.reserved import REFRESH_TOKEN_TABLE

_NOW: Final = "sa.func.now()"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    """The SQLAlchemy type expression."""
    sql_type: str
    """The PostgreSQL type, for a cast when a later revision changes the type."""
    kind: str
    """The spec type (``string``, ``integer``…), which decides what a type change can keep."""
    nullable: bool
    server_default: str | None = None
    identity: bool = False
    fill: str | None = None
    """SQL for rows that exist when the column is added or made required; None: no value."""

    @property
    def definition(self) -> str:
        args = [f'"{self.name}"', self.type]
        if self.identity:
            args.append("sa.Identity()")
        if self.server_default is not None:
            args.append(f"server_default={self.server_default}")
        args.append(f"nullable={self.nullable}")
        return f"sa.Column({', '.join(args)})"


@dataclass(frozen=True, slots=True)
class Constraint:
    """A table constraint: ``definition`` inside ``create_table``, ``create`` on its own."""

    name: str
    kind: Literal["primary", "unique", "check", "foreignkey"]
    columns: tuple[str, ...]
    definition: str
    create: str = ""

    def drop(self, table: str) -> str:
        return f'op.drop_constraint(op.f("{self.name}"), "{table}", type_="{self.kind}")'


@dataclass(frozen=True, slots=True)
class Index:
    name: str
    columns: tuple[str, ...]
    create: str

    def drop(self, table: str) -> str:
        return f'op.drop_index(op.f("{self.name}"), table_name="{table}")'


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    constraints: tuple[Constraint, ...]
    indexes: tuple[Index, ...] = ()
    whole: bool = False
    """Made entirely of keys (association and token tables): changed only by rebuilding."""

    @property
    def primary(self) -> tuple[Column, ...]:
        """The key columns, whose change rebuilds the table."""
        return tuple(c for c in self.columns if c.name in self.key)

    @property
    def create(self) -> str:
        parts = [*(c.definition for c in self.columns), *(c.definition for c in self.constraints)]
        body = "".join(f"    {part},\n" for part in parts)
        return f'op.create_table(\n    "{self.name}",\n{body})'


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A relation key between entity tables, added once every table exists."""

    table: str
    name: str
    column: str
    target: str
    create: str

    @property
    def drop(self) -> str:
        return f'op.drop_constraint(op.f("{self.name}"), "{self.table}", type_="foreignkey")'


@dataclass(frozen=True, slots=True)
class Schema:
    tables: tuple[Table, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()


EMPTY: Final = Schema()


def schema(project: ProjectView) -> Schema:
    """Tables in creation order, then the foreign keys of entity tables."""
    found: list[Table] = []
    if project.auth is not None:
        found.append(_account_table(project.auth))
        if project.auth.refresh:
            found.append(_refresh_token_table(project.auth))
    modules = project.entity_modules
    found.extend(_entity_table(m) for m in modules)
    found.extend(_link_table(link) for link in project.links)
    keys = tuple(_foreign_key(m.table, c) for m in modules for c in m.columns if c.foreign_key)
    return Schema(tuple(found), keys)


def column(view: ColumnView) -> Column:
    key = view.primary_key
    return Column(
        view.name,
        view.ddl_type,
        view.sql_type,
        view.kind,
        view.nullable,
        UUID_DEFAULT if key and view.kind == "uuid" else view.server_default,
        identity=key and view.kind == "integer",
        fill=view.fill,
    )


def _primary_key(table: str, *columns: str) -> Constraint:
    quoted = ", ".join(_quote(c) for c in columns)
    definition = f'sa.PrimaryKeyConstraint({quoted}, name=op.f("pk_{table}"))'
    return Constraint(f"pk_{table}", "primary", columns, definition)


def _constraint(table: str, view: ConstraintView) -> Constraint:
    name = f'op.f("{view.name}")'
    if view.kind == "check":
        create = f"op.create_check_constraint({name}, {_quote(table)}, {view.sql!r})"
        return Constraint(view.name, "check", view.columns, view.expression("op.f"), create)
    columns = ", ".join(_quote(c) for c in view.columns)
    create = f"op.create_unique_constraint({name}, {_quote(table)}, [{columns}])"
    return Constraint(view.name, "unique", view.columns, view.expression("op.f"), create)


def _index(table: str, name: str, columns: tuple[str, ...], unique: bool, where: str) -> Index:
    quoted = ", ".join(_quote(c) for c in columns)
    condition = f", postgresql_where=sa.text({where!r})" if where else ""
    return Index(
        name,
        columns,
        f'op.create_index(op.f("{name}"), "{table}", [{quoted}], unique={unique}{condition})',
    )


def _entity_table(module: ModuleView) -> Table:
    table = module.table
    columns = [column(c) for c in module.columns]
    if module.soft_delete:
        columns.append(_fixed("deleted_at", "datetime", nullable=True))
    constraints = [_primary_key(table, module.pk.name)]
    indexes: list[Index] = []
    for view in module.constraints:
        if view.kind == "check" or (view.kind == "unique" and not view.where):
            constraints.append(_constraint(table, view))
        else:
            unique = view.kind == "unique"
            indexes.append(_index(table, view.name, view.columns, unique, view.where))
    return Table(table, (module.pk.name,), tuple(columns), tuple(constraints), tuple(indexes))


def _link_table(link: LinkView) -> Table:
    table = link.table
    columns = (
        Column(link.left, link.source.ddl_type, link.source.sql_type, link.source.kind, False),
        Column(link.right, link.target.ddl_type, link.target.sql_type, link.target.kind, False),
    )
    constraints = (
        _link_foreign_key(link.left, link.left_key, link.source),
        _link_foreign_key(link.right, link.right_key, link.target),
        _primary_key(table, link.left, link.right),
    )
    index = _index(table, link.right_index, (link.right,), False, "")
    return Table(table, (link.left, link.right), columns, constraints, (index,), whole=True)


def _link_foreign_key(column: str, name: str, target: KeyView) -> Constraint:
    return Constraint(
        name,
        "foreignkey",
        (column,),
        f'sa.ForeignKeyConstraint(["{column}"], ["{target.table}.{target.column}"], '
        f'name=op.f("{name}"), ondelete="CASCADE")',
    )


def _foreign_key(table: str, view: ColumnView) -> ForeignKey:
    target_table, target_column = (view.foreign_key or ".").split(".")
    create = (
        f'op.create_foreign_key(op.f("{view.foreign_key_name}"), "{table}", "{target_table}", '
        f'["{view.name}"], ["{target_column}"], ondelete="{view.on_delete}")'
    )
    return ForeignKey(table, view.foreign_key_name, view.name, target_table, create)


def _account_table(auth: AuthView) -> Table:
    table = auth.account_table
    roles = ", ".join(f"'{role}'" for role in auth.roles)
    columns = (
        column(auth.account_pk),
        _fixed("email", "string", length=255),
        _fixed("password_hash", "string", length=255),
        _fixed("role", "string", length=64),
        _fixed("is_active", "boolean", default="sa.true()"),
        _fixed("created_at", "datetime", default=_NOW),
        *((_fixed("updated_at", "datetime", default=_NOW),) if auth.timestamps else ()),
        *(column(f) for f in auth.account_fields),
    )
    check = f"role IN ({roles})"
    constraints = (
        Constraint(
            f"ck_{table}_role",
            "check",
            ("role",),
            f'sa.CheckConstraint("{check}", name=op.f("ck_{table}_role"))',
            f'op.create_check_constraint(op.f("ck_{table}_role"), "{table}", "{check}")',
        ),
        _primary_key(table, auth.account_pk.name),
        _constraint(table, ConstraintView("unique", f"uq_{table}_email", ("email",))),
        *(_constraint(table, view) for view in auth.constraints),
    )
    return Table(table, (auth.account_pk.name,), columns, constraints)


def _refresh_token_table(auth: AuthView) -> Table:
    table = REFRESH_TOKEN_TABLE
    account = auth.account_table
    key = auth.account_pk
    columns = (
        _fixed("id", "uuid", default=UUID_DEFAULT),
        Column("account_id", key.ddl_type, key.sql_type, key.kind, nullable=False),
        _fixed("token_hash", "string", length=64),
        _fixed("family_id", "uuid"),
        _fixed("expires_at", "datetime"),
        _fixed("revoked_at", "datetime", nullable=True),
        _fixed("created_at", "datetime", default=_NOW),
    )
    fk = f"fk_{table}_account_id_{account}"
    constraints = (
        Constraint(
            fk,
            "foreignkey",
            ("account_id",),
            f'sa.ForeignKeyConstraint(["account_id"], ["{account}.{key.name}"], '
            f'name=op.f("{fk}"), ondelete="CASCADE")',
        ),
        _primary_key(table, "id"),
        _constraint(table, ConstraintView("unique", f"uq_{table}_token_hash", ("token_hash",))),
    )
    indexes = tuple(
        _index(table, f"ix_{table}_{name}", (name,), False, "")
        for name in ("account_id", "family_id")
    )
    return Table(table, ("id",), columns, constraints, indexes, whole=True)


def _fixed(
    name: str, kind: str, *, nullable: bool = False, default: str | None = None, length: int = 0
) -> Column:
    """A column the backend manages itself (account, token and soft-delete columns)."""
    info = TYPES[kind]
    sql_type = info.sql.format(n=length)
    return Column(name, info.ddl.format(n=length), sql_type, kind, nullable, default)


def _quote(name: str) -> str:
    return f'"{name}"'
