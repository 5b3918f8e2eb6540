"""The project view: modules with their columns, constraints, relations, lists and access rules.

Built once from a canonical 1.1 spec. Relations are seen from both ends here, so each template
prints only what its own module serves: a listing is served by the module whose rows it lists
(``GET /authors/{id}/posts`` by posts, ``GET /posts/{id}/tags`` by tags), and links are added
and removed by the module that declares the many_to_many relation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from deeprun.contracts.spec_ir import Entity11, Field11, Relation, Spec11
from deeprun.logic.compiler import samples
from deeprun.logic.compiler.field_types import python_literal
from deeprun.logic.compiler.names import db_name
from deeprun.logic.compiler.python_names import attribute_name, entity_class_name, package_name
from deeprun.logic.compiler.view import ACCOUNT_ENTITY, ColumnView, column_view
from deeprun.logic.naming import to_snake

OPERATIONS: Final = ("create", "read", "update", "delete")
ADMIN: Final = "admin"
ANYONE: Final = frozenset({"public", "authenticated", "owner"})
_ON_DELETE: Final = {"cascade": "CASCADE", "restrict": "RESTRICT", "set_null": "SET NULL"}
_RANGED: Final = frozenset({"integer", "float", "decimal", "date", "datetime"})
_NOW: Final = "sa.func.now()"
ACCOUNT_PACKAGE: Final = "registered_account"
"""What relations to the account entity name as their target package (tests register one)."""


def factory(package: str) -> str:
    """The generated test factory that makes a row of ``package``."""
    return "register_account" if package == ACCOUNT_PACKAGE else f"create_{package}"


@dataclass(frozen=True, slots=True)
class KeyView:
    """A table's primary key, as another module refers to it."""

    table: str
    column: str
    kind: str
    python_type: str
    soft_delete: bool
    crud: bool = False
    """Whether the table has its own routes (a ``DELETE /<table>/{id}`` among them)."""

    @property
    def path_type(self) -> str:
        return "IntId" if self.kind == "integer" else "UuidId"

    @property
    def ddl_type(self) -> str:
        return "sa.BigInteger()" if self.kind == "integer" else "sa.Uuid()"

    @property
    def sql_type(self) -> str:
        return "bigint" if self.kind == "integer" else "uuid"


def key_python_type(kind: str) -> str:
    """The Python type of a primary key (and of every column that refers to one)."""
    return "int" if kind == "integer" else "uuid.UUID"


@dataclass(frozen=True, slots=True)
class ConstraintView:
    """A named table constraint or index (``kind``: unique, check, index)."""

    kind: str
    name: str
    columns: tuple[str, ...] = ()
    sql: str = ""
    where: str = ""

    def expression(self, final: str) -> str:
        """The constraint as a table argument; ``final`` marks the name as already converted."""
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        name = f'{final}("{self.name}")'
        if self.kind == "check":
            return f"sa.CheckConstraint({self.sql!r}, name={name})"
        if self.kind == "unique" and not self.where:
            return f"sa.UniqueConstraint({quoted}, name={name})"
        unique = ", unique=True" if self.kind == "unique" else ""
        where = f", postgresql_where=sa.text({self.where!r})" if self.where else ""
        return f"sa.Index({name}, {quoted}{unique}{where})"


@dataclass(frozen=True, slots=True)
class LinkView:
    """A many_to_many relation: its association table and both ends."""

    name: str
    table: str
    left: str
    right: str
    source: KeyView
    target: KeyView
    target_name: str
    target_package: str

    @property
    def const(self) -> str:
        """The module-level name of the association table in the generated model."""
        return f"{self.name.upper()}_LINK_TABLE"

    @property
    def left_key(self) -> str:
        return db_name("fk", self.table, self.left)

    @property
    def right_key(self) -> str:
        return db_name("fk", self.table, self.right)

    @property
    def right_index(self) -> str:
        return db_name("ix", self.table, self.right)


@dataclass(frozen=True, slots=True)
class ListingView:
    """``GET /<parent table>/{id}/<name>``: rows of this module that belong to a parent row.

    Through a foreign key column of this module, or through an association table whose
    ``match`` column holds the parent's key and whose ``row`` column holds this module's key.
    """

    name: str
    parent: KeyView
    parent_name: str
    column: str = ""
    through: str = ""
    match: str = ""
    row: str = ""
    link: LinkView | None = None
    """The many_to_many relation behind a listing through an association table."""
    owns_link: bool = False
    """Whether this module declares that relation (the listing is its back_populates)."""
    parent_package: str = ""

    @property
    def function(self) -> str:
        return f"list_{self.name}_of_{self.parent.table}"


@dataclass(frozen=True, slots=True)
class FilterView:
    param: str
    attr: str
    annotation: str
    column: str
    field: str
    """The key of the filtered column in responses."""
    op: str
    """``eq``, ``gte``, ``lte`` on a column, or ``link`` through an association table."""
    link: LinkView | None = None
    kind: str = ""
    returned: bool = True
    """Whether responses carry the filtered column (the soft-delete marker is not)."""


@dataclass(frozen=True, slots=True)
class ListView:
    max_page_size: int
    default_sort: str
    descending: bool
    sortable: dict[str, ColumnView]
    """Sort key (a field or relation name) -> its column."""
    filters: tuple[FilterView, ...]
    search: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SeedRow:
    values: tuple[tuple[str, str], ...]
    """Column attribute -> Python literal."""


@dataclass(frozen=True, slots=True)
class ModuleView:
    """One entity with its own module under ``app/modules``."""

    name: str
    cls: str
    package: str
    table: str
    columns: tuple[ColumnView, ...]
    crud: bool
    is_account: bool
    permissions: dict[str, tuple[str, ...]]
    owned: bool
    soft_delete: bool
    timestamps: bool
    constraints: tuple[ConstraintView, ...]
    links: tuple[LinkView, ...]
    listings: tuple[ListingView, ...]
    list: ListView
    seed: tuple[SeedRow, ...]
    roles: tuple[str, ...]
    targets: dict[str, KeyView]
    """Relation key column -> the key it refers to."""
    key: KeyView

    @property
    def has_package(self) -> bool:
        """The account entity has a module only for its CRUD routes; others always have one."""
        return self.crud or not self.is_account

    @property
    def pk(self) -> ColumnView:
        return next(c for c in self.columns if c.primary_key)

    @property
    def public_fields(self) -> tuple[ColumnView, ...]:
        return tuple(c for c in self.columns if c.returned)

    @property
    def data_fields(self) -> tuple[ColumnView, ...]:
        """The columns a request body carries."""
        return tuple(c for c in self.columns if c.accepted)

    @property
    def declared_fields(self) -> tuple[ColumnView, ...]:
        return tuple(c for c in self.data_fields if c.role == "field")

    @property
    def required_fields(self) -> tuple[ColumnView, ...]:
        return tuple(c for c in self.data_fields if c.required)

    @property
    def unique_fields(self) -> tuple[ColumnView, ...]:
        return tuple(c for c in self.data_fields if c.unique)

    @property
    def testable_unique_fields(self) -> tuple[ColumnView, ...]:
        """Unique columns a request can repeat: returned, and never left null by the tests."""
        return tuple(c for c in self.unique_fields if c.always_sent)

    @property
    def relation_columns(self) -> tuple[ColumnView, ...]:
        return tuple(c for c in self.columns if c.role == "relation")

    @property
    def required_relations(self) -> tuple[ColumnView, ...]:
        return tuple(c for c in self.relation_columns if not c.nullable)

    @property
    def unique_groups(self) -> tuple[tuple[str, ...], ...]:
        return tuple(
            c.columns for c in self.constraints if c.kind == "unique" and len(c.columns) > 1
        )

    @property
    def testable_unique_groups(self) -> tuple[tuple[str, ...], ...]:
        """Compound keys a request can repeat: every column sent, returned and never null."""
        always = {c.name for c in self.data_fields if c.always_sent}
        return tuple(g for g in self.unique_groups if always.issuperset(g))

    @property
    def factory_samples(self) -> tuple[tuple[ColumnView, str], ...]:
        """Each declared field with the value the test factory sends for row ``n``: the
        columns of a compound unique key take ``n`` in mixed radix (``samples.counters``)."""
        sent = {c.name: c for c in self.declared_fields}
        groups = [[(name, self._key_space(name, sent)) for name in g] for g in self.unique_groups]
        given = samples.counters(groups)
        return tuple((c, c.sample_at(given.get(c.name, "n"))) for c in self.declared_fields)

    def _key_space(self, name: str, sent: dict[str, ColumnView]) -> str | None:
        """A key column's values per row: its sample's space, none for a column that keeps the
        key distinct alone (a relation: a new parent per row, or null), one when unsent."""
        column = sent.get(name)
        if column is None:
            role = next((c.role for c in self.columns if c.name == name), "managed")
            return None if role == "relation" else "1"
        return None if column.unique else column.space

    @property
    def probe_field(self) -> ColumnView | None:
        """The field whose invalid value the tests send; None when no field can be invalid."""
        return next((c for c in self.declared_fields if c.invalid is not None), None)

    @property
    def test_role(self) -> str:
        """A non-admin role allowed every operation, for the tests; admin when there is none."""
        for role in self.roles:
            if role != ADMIN and all(self._allows(op, role) for op in OPERATIONS):
                return role
        return ADMIN

    @property
    def forbidden(self) -> tuple[str, str] | None:
        """An (operation, role) pair the permissions refuse, for the 403 test."""
        for op in OPERATIONS:
            for role in self.roles:
                if role != ADMIN and not self._allows(op, role):
                    return op, role
        return None

    @property
    def owner_scoped(self) -> tuple[str, ...]:
        """Operations the test role may do on its own rows only."""
        role = self.test_role
        return tuple(
            op
            for op in OPERATIONS
            if "owner" in self.permissions[op]
            and not {"public", "authenticated", role} & set(self.permissions[op])
            and role != ADMIN
        )

    @property
    def hidden(self) -> tuple[str, ...]:
        """Names a request may carry that a response never shows."""
        return tuple(c.name for c in self.data_fields if c.write_only)

    def _allows(self, op: str, role: str) -> bool:
        allowed = self.permissions[op]
        return bool(ANYONE.intersection(allowed)) or role in allowed


@dataclass(frozen=True, slots=True)
class AuthView:
    access_minutes: int
    refresh_minutes: int
    roles: tuple[str, ...]
    default_role: str
    registration_open: bool
    account_table: str
    account_pk: ColumnView
    account_fields: tuple[ColumnView, ...]
    """Declared fields of a ``User`` entity other than its primary key and email."""
    timestamps: bool = False
    """An ``updated_at`` beside the account's ``created_at``, which every account has."""
    max_page_size: int = 100

    @property
    def constraints(self) -> tuple[ConstraintView, ...]:
        """The declared fields' CHECK and UNIQUE constraints (the fixed columns have their own)."""
        table = self.account_table
        checks = tuple(
            ConstraintView("check", db_name("ck", table, suffix), (field.name,), sql)
            for field in self.account_fields
            for suffix, sql in field.checks
        )
        uniques = tuple(
            ConstraintView("unique", db_name("uq", table, field.name), (field.name,))
            for field in self.account_fields
            if field.unique
        )
        return checks + uniques

    @property
    def refresh(self) -> bool:
        return self.refresh_minutes > 0


@dataclass(frozen=True, slots=True)
class ProjectView:
    name: str
    description: str
    auth: AuthView | None
    modules: tuple[ModuleView, ...]

    @property
    def entity_modules(self) -> tuple[ModuleView, ...]:
        return tuple(m for m in self.modules if not m.is_account)

    @property
    def links(self) -> tuple[LinkView, ...]:
        return tuple(link for m in self.modules for link in m.links)

    @property
    def account_listings(self) -> tuple[ListingView, ...]:
        """Accounts listed under other rows (``GET /teams/{id}/members``), which the account
        repository serves: only a many_to_many to the account gives one."""
        return next((m.listings for m in self.modules if m.is_account), ())

    @property
    def seeded(self) -> tuple[ModuleView, ...]:
        """Modules with seed rows, each after the modules its rows refer to."""
        by_table = {m.table: m for m in self.entity_modules}
        ordered: dict[str, ModuleView] = {}

        def visit(module: ModuleView, path: frozenset[str]) -> None:
            if module.table in ordered or module.table in path:
                return
            for key in module.targets.values():
                target = by_table.get(key.table)
                if target is not None and target.seed:
                    visit(target, path | {module.table})
            ordered[module.table] = module

        for module in self.entity_modules:
            if module.seed:
                visit(module, frozenset())
        return tuple(ordered.values())


_DEFAULT_PK: Final = Field11(name="id", type="uuid", primary_key=True)


def project_view(spec: Spec11) -> ProjectView:
    auth = spec.auth.enabled
    entities = {e.name: e for e in spec.entities}
    account = entities.get(ACCOUNT_ENTITY) if auth else None
    keys = {name: _key(e) for name, e in entities.items()}
    if auth and account is None:
        keys[ACCOUNT_ENTITY] = KeyView("users", "id", "uuid", "uuid.UUID", False)
    builder = _Builder(spec, entities, keys)
    modules = tuple(builder.module(e) for e in spec.entities)
    return ProjectView(
        name=spec.project_name,
        description=spec.description,
        auth=_auth_view(spec, account) if auth else None,
        modules=modules,
    )


def _key(entity: Entity11) -> KeyView:
    pk = next(f for f in entity.fields if f.primary_key)
    return KeyView(
        entity.table_name or "",
        pk.name,
        pk.type,
        key_python_type(pk.type),
        entity.soft_delete,
        entity.crud,
    )


def _auth_view(spec: Spec11, account: Entity11 | None) -> AuthView:
    fields = account.fields if account else (_DEFAULT_PK,)
    pk = column_view(next(f for f in fields if f.primary_key))
    return AuthView(
        access_minutes=spec.auth.access_token_expiry_minutes,
        refresh_minutes=spec.auth.refresh_token_expiry_minutes,
        roles=spec.auth.roles,
        default_role=spec.auth.default_role,
        registration_open=spec.auth.registration == "open",
        account_table=account.table_name or "users" if account else "users",
        account_pk=pk,
        account_fields=tuple(
            column_view(f) for f in fields if not f.primary_key and f.name != "email"
        ),
        timestamps=account is not None and account.timestamps,
        max_page_size=account.list_options.max_page_size if account else 100,
    )


class _Builder:
    """Turns entities into module views; holds what every module may need to know of others."""

    def __init__(
        self, spec: Spec11, entities: dict[str, Entity11], keys: dict[str, KeyView]
    ) -> None:
        self._spec = spec
        self._entities = entities
        self._keys = keys
        self._links = {
            (entity.name, relation.name): self._new_link(entity, relation)
            for entity in spec.entities
            for relation in entity.relations
            if relation.kind == "many_to_many"
        }
        self._taken = {e.table_name or "" for e in spec.entities} | {"users", "refresh_tokens"}
        for link in self._links.values():
            self._taken |= {link.table, link.right_index, f"pk_{link.table}"}

    def module(self, entity: Entity11) -> ModuleView:
        auth = self._spec.auth
        package = package_name(to_snake(entity.name) or entity.name.lower())
        table = entity.table_name or ""
        columns = self._columns(entity, table)
        links = tuple(
            self._links[entity.name, r.name] for r in entity.relations if r.kind == "many_to_many"
        )
        return ModuleView(
            name=entity.name,
            cls=entity_class_name(entity.name),
            package=package,
            table=table,
            columns=columns,
            crud=entity.crud,
            is_account=auth.enabled and entity.name == ACCOUNT_ENTITY,
            permissions=_permissions(entity),
            owned=entity.owned,
            soft_delete=entity.soft_delete,
            timestamps=entity.timestamps,
            constraints=_constraints(entity, table, columns, self._taken),
            links=links,
            listings=self._listings(entity),
            list=_list_view(entity, columns, links),
            seed=tuple(_seed_row(entity, columns, row) for row in entity.seed),
            roles=auth.roles if auth.enabled else (),
            targets={
                f"{r.name}_id": self._keys[r.target]
                for r in entity.relations
                if r.kind != "many_to_many"
            },
            key=self._keys[entity.name],
        )

    def _columns(self, entity: Entity11, table: str) -> tuple[ColumnView, ...]:
        columns = [column_view(f) for f in entity.fields]
        for relation in entity.relations:
            if relation.kind != "many_to_many":
                columns.append(self._relation_column(relation, table))
        if entity.owned:
            account = self._keys[ACCOUNT_ENTITY]
            columns.append(
                column_view(
                    Field11(name="owner_id", type=account.kind),
                    role="managed",
                    foreign_key=f"{account.table}.{account.column}",
                    foreign_key_name=db_name("fk", table, "owner_id"),
                    on_delete="CASCADE",
                )
            )
        if entity.timestamps:
            for name in ("created_at", "updated_at"):
                spec = Field11(name=name, type="datetime")
                columns.append(column_view(spec, role="managed", server_default=_NOW))
        return tuple(columns)

    def _relation_column(self, relation: Relation, table: str) -> ColumnView:
        target = self._keys[relation.target]
        spec = Field11(
            name=f"{relation.name}_id",
            type=target.kind,
            nullable=relation.nullable,
            unique=relation.kind == "one_to_one",
        )
        return column_view(
            spec,
            role="relation",
            foreign_key=f"{target.table}.{target.column}",
            foreign_key_name=db_name("fk", table, spec.name),
            on_delete=_ON_DELETE[relation.on_delete],
            references=self._package(relation.target),
            references_key=target.column,
        )

    def _package(self, entity: str) -> str:
        if self._spec.auth.enabled and entity == ACCOUNT_ENTITY:
            return ACCOUNT_PACKAGE
        return package_name(to_snake(entity) or entity.lower())

    def _new_link(self, entity: Entity11, relation: Relation) -> LinkView:
        source = _key(entity)
        target = self._keys[relation.target]
        left = f"{to_snake(entity.name)}_id"
        right = f"{to_snake(relation.target)}_id"
        if right == left:
            right = f"{relation.name}_id"
        if right == left:
            right = f"linked_{right}"
        return LinkView(
            name=relation.name,
            table=f"{source.table}_{relation.name}",
            left=left,
            right=right,
            source=source,
            target=target,
            target_name=relation.target,
            target_package=self._package(relation.target),
        )

    def _listings(self, entity: Entity11) -> tuple[ListingView, ...]:
        """What this module lists under other tables' rows (a module without routes, none)."""
        found: list[ListingView] = []
        if not entity.crud:
            return ()
        for relation in entity.relations:
            if relation.back_populates is None:
                continue
            parent = self._keys[relation.target]
            if relation.kind == "many_to_many":
                link = self._links[entity.name, relation.name]
                found.append(
                    ListingView(relation.back_populates, parent, relation.target,
                                through=link.table, match=link.right, row=link.left, link=link,
                                owns_link=True, parent_package=self._package(relation.target))
                )  # fmt: skip
            else:
                column = attribute_name(f"{relation.name}_id")
                found.append(
                    ListingView(relation.back_populates, parent, relation.target, column=column,
                                parent_package=self._package(relation.target))
                )  # fmt: skip
        for other in self._entities.values():
            for relation in other.relations:
                if (
                    other.crud
                    and relation.kind == "many_to_many"
                    and relation.target == entity.name
                ):
                    link = self._links[other.name, relation.name]
                    found.append(
                        ListingView(relation.name, link.source, other.name,
                                    through=link.table, match=link.left, row=link.right,
                                    link=link, parent_package=self._package(other.name))
                    )  # fmt: skip
        return tuple(found)


def _permissions(entity: Entity11) -> dict[str, tuple[str, ...]]:
    given = entity.permissions
    return {op: tuple(getattr(given, op) or ()) if given else () for op in OPERATIONS}


def _constraints(
    entity: Entity11, table: str, columns: tuple[ColumnView, ...], taken: set[str]
) -> tuple[ConstraintView, ...]:
    """Indexes and unique constraints share one namespace with tables in PostgreSQL, so
    ``taken`` holds every name the project already uses."""
    found: list[ConstraintView] = []

    def unique_name(kind: str, *parts: str) -> str:
        """``uq_t_a_b`` names both (a, b) and a column ``a_b``: the later one gets a number."""
        name, number = db_name(kind, table, *parts), 1
        while name in taken:
            number += 1
            name = db_name(kind, table, *parts, str(number))
        taken.add(name)
        return name

    where = '"deleted_at" IS NULL' if entity.soft_delete else ""
    groups: list[tuple[str, ...]] = [(c.name,) for c in columns if c.unique and not c.primary_key]
    groups.extend(tuple(_column_name(entity, n) for n in names) for names in entity.unique_together)
    for group in groups:
        found.append(ConstraintView("unique", unique_name("uq", *group), group, where=where))
    for column in columns:
        for suffix, sql in column.checks:
            found.append(ConstraintView("check", unique_name("ck", suffix), (column.name,), sql))
    indexed: list[tuple[str, ...]] = [(c.name,) for c in columns if c.foreign_key and not c.unique]
    indexed.extend(tuple(_column_name(entity, n) for n in names) for names in entity.indexes)
    for group in dict.fromkeys(indexed):
        found.append(ConstraintView("index", unique_name("ix", *group), group))
    return tuple(found)


def _column_name(entity: Entity11, name: str) -> str:
    """A canonical reference names a field, a managed column or a relation (its key column)."""
    if any(r.name == name and r.kind != "many_to_many" for r in entity.relations):
        return f"{name}_id"
    return name


def _list_view(
    entity: Entity11, columns: tuple[ColumnView, ...], links: tuple[LinkView, ...]
) -> ListView:
    options = entity.list_options
    by_name = {c.name: c for c in columns}
    if entity.soft_delete:  # review lets lists name it; live rows always hold null there
        marker = Field11(name="deleted_at", type="datetime", nullable=True, write_only=True)
        by_name["deleted_at"] = column_view(marker, role="managed")
    sort = options.default_sort or ""
    sortable = {name: by_name[_column_name(entity, name)] for name in options.sortable}
    filters: list[FilterView] = []
    for name in options.filterable:
        link = next((k for k in links if k.name == name), None)
        if link is not None:
            param = f"{name}_id"
            annotation = link.target.python_type
            filters.append(
                FilterView(param, attribute_name(param), annotation, "", "", "link", link)
            )
            continue
        column = by_name[_column_name(entity, name)]
        filters.extend(_filters(column))
    return ListView(
        max_page_size=options.max_page_size,
        default_sort=by_name[_column_name(entity, sort.lstrip("-"))].attr,
        descending=sort.startswith("-"),
        sortable=sortable,
        filters=tuple(filters),
        search=tuple(by_name[name].attr for name in options.searchable),
    )


def _filters(column: ColumnView) -> list[FilterView]:
    annotation = _filter_type(column)
    found = [
        FilterView(column.name, column.attr, annotation, column.attr, column.name, "eq",
                   kind=column.kind, returned=column.returned)
    ]  # fmt: skip
    if column.kind in _RANGED and column.role != "relation":
        for op in ("gte", "lte"):
            param = f"{column.name}__{op}"
            found.append(
                FilterView(
                    param,
                    attribute_name(param),
                    annotation,
                    column.attr,
                    column.name,
                    op,
                    kind=column.kind,
                    returned=column.returned,
                )
            )
    return found


def _filter_type(column: ColumnView) -> str:
    """A filter takes the field's type, without the length and range limits of inputs."""
    if column.role == "relation" or (column.role == "managed" and column.kind != "datetime"):
        return key_python_type(column.kind)
    return column.input_type if column.kind == "enum" else _BASE_FILTER_TYPES[column.kind]


_TEXT_FILTER: Final = "Annotated[SafeStr, Field(max_length=1000)]"
_BASE_FILTER_TYPES: Final = {
    "string": _TEXT_FILTER, "text": _TEXT_FILTER,
    "integer": "BigInt", "float": "FiniteFloat", "decimal": "FiniteDecimal", "boolean": "bool",
    "datetime": "AwareDatetime", "date": "dt.date", "uuid": "uuid.UUID",
}  # fmt: skip


def _seed_row(entity: Entity11, columns: tuple[ColumnView, ...], row: dict[str, Any]) -> SeedRow:
    by_name = {c.name: c for c in columns}
    fields = {f.name: f for f in entity.fields}
    values: list[tuple[str, str]] = []
    for name, value in row.items():
        column = by_name[name]
        spec = fields.get(name) or Field11(name=name, type=column.kind)
        values.append((column.attr, python_literal(spec, value)))
    return SeedRow(tuple(values))
