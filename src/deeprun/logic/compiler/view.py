"""The flat view-model the templates fill in: every name, type and flag computed here, once.

Templates only print these values; anything that needs a decision (a Python type, a column type,
a safe attribute name, which principals may call an operation) is decided in this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from deeprun.contracts.spec_ir import Entity11, Field11, Spec11
from deeprun.logic.compiler.python_names import attribute_name, entity_class_name, package_name
from deeprun.logic.naming import to_snake
from deeprun.logic.review.literals import DEFAULT_STRING_MAX_LENGTH

ACCOUNT_ENTITY: Final = "User"


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """How one spec type appears in Python, SQLAlchemy, the migration and the tests."""

    python: str
    ddl: str
    sample: str
    invalid: str


_TYPES: Final[dict[str, TypeInfo]] = {
    "string": TypeInfo("str", "sa.String(length={n})", "text_value({q}, n, {n})", '"x" * {m}'),
    "text": TypeInfo("str", "sa.Text()", "text_value({q}, n, 10_000)", '"nul \\x00"'),
    "integer": TypeInfo("int", "sa.BigInteger()", "n", "2**63"),
    "float": TypeInfo("float", "sa.Double()", "n + 0.5", '"not-a-number"'),
    "boolean": TypeInfo("bool", "sa.Boolean()", "n % 2 == 0", '"maybe"'),
    "datetime": TypeInfo("dt.datetime", "sa.DateTime(timezone=True)", "moment(n)",
                         '"2024-01-01T00:00:00"'),
    "uuid": TypeInfo("uuid.UUID", "sa.Uuid()", "uuid_value()", '"not-a-uuid"'),
}  # fmt: skip
UUID_DEFAULT: Final = 'sa.text("gen_random_uuid()")'
_PLACEHOLDERS: Final = {"string": '""', "text": '""', "integer": "0", "float": "0.0",
                        "boolean": "False", "datetime": "dt.datetime(1970, 1, 1, tzinfo=dt.UTC)",
                        "uuid": "uuid.uuid4()"}  # fmt: skip
_INPUT_TYPES: Final = {"string": "SafeStr", "text": "SafeStr", "integer": "BigInt",
                       "float": "FiniteFloat", "datetime": "AwareDatetime"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FieldView:
    name: str
    attr: str
    kind: str
    primary_key: bool
    nullable: bool
    unique: bool
    python_type: str
    input_type: str
    input_constraints: str
    ddl_type: str
    sample: str
    invalid: str
    description: str

    @property
    def aliased(self) -> bool:
        return self.attr != self.name

    @property
    def public_type(self) -> str:
        return f"{self.python_type} | None" if self.nullable else self.python_type

    @property
    def _annotation(self) -> str:
        if not self.input_constraints:
            return self.input_type
        return f"Annotated[{self.input_type}, Field({self.input_constraints})]"

    @property
    def _field_args(self) -> str:
        args = [f"alias={py_str(self.name)}"] if self.aliased else []
        if self.description:
            args.append(f"description={py_str(self.description)}")
        return ", ".join(args)

    @property
    def create_declaration(self) -> str:
        if self.nullable:
            return self.update_declaration
        args = self._field_args
        return f"{self.attr}: {self._annotation}" + (f" = Field({args})" if args else "")

    @property
    def update_declaration(self) -> str:
        args = self._field_args
        default = f"Field(None, {args})" if args else "None"
        return f"{self.attr}: {self._annotation} | None = {default}"

    @property
    def public_declaration(self) -> str:
        args = self._field_args
        return f"{self.attr}: {self.public_type}" + (f" = Field({args})" if args else "")

    @property
    def key_default(self) -> tuple[str, ...]:
        """How the database fills a primary key: an identity column, or a random uuid."""
        if not self.primary_key:
            return ()
        return ("sa.Identity()",) if self.kind == "integer" else (f"server_default={UUID_DEFAULT}",)

    @property
    def column_args(self) -> str:
        args = [py_str(self.name)] if self.aliased else []
        args.extend([self.ddl_type, *self.key_default])
        if self.primary_key:
            args.append("primary_key=True")
        args.append(f"nullable={self.nullable}")
        if self.unique and not self.primary_key:
            args.append("unique=True")
        return ", ".join(args)

    @property
    def placeholder(self) -> str:
        """A value for a required column that nobody supplied (the first admin's own fields)."""
        return _PLACEHOLDERS[self.kind]


@dataclass(frozen=True, slots=True)
class ModuleView:
    """One entity with its own module under ``app/modules``."""

    name: str
    cls: str
    package: str
    table: str
    fields: tuple[FieldView, ...]
    crud: bool
    is_account: bool
    permissions: dict[str, tuple[str, ...]]
    max_page_size: int

    @property
    def has_package(self) -> bool:
        """The account entity has a module only for its CRUD routes; others always have one."""
        return self.crud or not self.is_account

    @property
    def pk(self) -> FieldView:
        return next(f for f in self.fields if f.primary_key)

    @property
    def data_fields(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.fields if not f.primary_key)

    @property
    def required_fields(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.data_fields if not f.nullable)

    @property
    def unique_fields(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.data_fields if f.unique)

    @property
    def probe_field(self) -> FieldView | None:
        """The field whose invalid value the tests send; None when the body has no fields."""
        return self.data_fields[0] if self.data_fields else None


@dataclass(frozen=True, slots=True)
class AuthView:
    access_minutes: int
    refresh_minutes: int
    roles: tuple[str, ...]
    default_role: str
    registration_open: bool
    account_table: str
    account_pk: FieldView
    account_fields: tuple[FieldView, ...]
    """Declared fields of a ``User`` entity other than its primary key and email."""

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


def field_view(field: Field11) -> FieldView:
    info = _TYPES[field.type]
    length = field.max_length or DEFAULT_STRING_MAX_LENGTH
    fmt = {"n": length, "m": length + 1, "q": py_str(field.name)}
    return FieldView(
        name=field.name,
        attr=attribute_name(field.name),
        kind=field.type,
        primary_key=field.primary_key,
        nullable=field.nullable and not field.primary_key,
        unique=field.unique or field.primary_key,
        python_type=info.python,
        input_type=_INPUT_TYPES.get(field.type, info.python),
        input_constraints=f"max_length={length}" if field.type == "string" else "",
        ddl_type=info.ddl.format(**fmt),
        sample=_sample(field, info.sample.format(**fmt)),
        invalid=info.invalid.format(**fmt),
        description=field.description,
    )


def project_view(spec: Spec11) -> ProjectView:
    auth = spec.auth.enabled
    modules = tuple(
        _module_view(e, is_account=auth and e.name == ACCOUNT_ENTITY) for e in spec.entities
    )
    return ProjectView(
        name=spec.project_name,
        description=spec.description,
        auth=_auth_view(spec, modules) if auth else None,
        modules=modules,
    )


def _module_view(entity: Entity11, *, is_account: bool) -> ModuleView:
    permissions = entity.permissions
    granted = {
        op: tuple(getattr(permissions, op) or ()) if permissions else ()
        for op in ("create", "read", "update", "delete")
    }
    return ModuleView(
        name=entity.name,
        cls=entity_class_name(entity.name),
        package=package_name(to_snake(entity.name) or entity.name.lower()),
        table=entity.table_name or "",
        fields=tuple(field_view(f) for f in entity.fields),
        crud=entity.crud,
        is_account=is_account,
        permissions=granted,
        max_page_size=entity.list_options.max_page_size,
    )


def _auth_view(spec: Spec11, modules: tuple[ModuleView, ...]) -> AuthView:
    account = next((m for m in modules if m.is_account), None)
    default_pk = FieldView(
        name="id", attr="id", kind="uuid", primary_key=True, nullable=False, unique=True,
        python_type="uuid.UUID", input_type="uuid.UUID", input_constraints="",
        ddl_type="sa.Uuid()", sample="uuid_value()",
        invalid='"not-a-uuid"', description="",
    )  # fmt: skip
    return AuthView(
        access_minutes=spec.auth.access_token_expiry_minutes,
        refresh_minutes=spec.auth.refresh_token_expiry_minutes,
        roles=spec.auth.roles,
        default_role=spec.auth.default_role,
        registration_open=spec.auth.registration == "open",
        account_table=account.table if account else "users",
        account_pk=account.pk if account else default_pk,
        account_fields=tuple(f for f in account.data_fields if f.name != "email")
        if account
        else (),
    )


def _sample(field: Field11, sample: str) -> str:
    """A nullable unique boolean holds at most two non-null rows, so tests leave it null."""
    return "None" if field.type == "boolean" and field.unique and field.nullable else sample


def py_str(value: str) -> str:
    """A string literal valid in Python and TOML alike (JSON escapes, so newlines are safe)."""
    return json.dumps(value, ensure_ascii=False)
