"""The flat view-model the templates fill in: every name, type and flag computed here, once.

Templates only print these values; anything that needs a decision (a Python type, a column type,
a safe attribute name, which principals may call an operation) is decided in this package.
Every column of a table is a ``ColumnView``: declared fields, relation keys (``<name>_id``) and
the columns the backend manages itself (``owner_id``, ``created_at``, ``updated_at``) alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal

from deeprun.contracts.spec_ir import Field11
from deeprun.logic.compiler import field_types, samples
from deeprun.logic.compiler.python_names import attribute_name

ACCOUNT_ENTITY: Final = "User"
Role = Literal["field", "relation", "managed"]

_PLACEHOLDERS: Final = {
    "string": '""', "text": '""', "integer": "0", "float": "0.0", "boolean": "False",
    "datetime": "dt.datetime(1970, 1, 1, tzinfo=dt.UTC)", "date": "dt.date(1970, 1, 1)",
    "uuid": "uuid.uuid4()", "decimal": 'Decimal("0")', "json": "{}",
}  # fmt: skip
_PUBLIC_TYPES: Final = {"json": "JsonValue", "decimal": "FixedPointDecimal"}
"""Response types that differ from the entity's: JSON keeps its JSON type rather than ``Any``,
and a decimal is written in fixed-point notation (``0.0000000000``, never ``0E-10``)."""


@dataclass(frozen=True, slots=True)
class ColumnView:
    name: str
    attr: str
    kind: str
    role: Role
    primary_key: bool
    nullable: bool
    unique: bool
    python_type: str
    input_type: str
    ddl_type: str
    sql_type: str
    sample: str
    invalid: str | None
    description: str = ""
    read_only: bool = False
    write_only: bool = False
    default: str | None = None
    server_default: str | None = None
    foreign_key: str | None = None
    foreign_key_name: str = ""
    on_delete: str | None = None
    checks: tuple[tuple[str, str], ...] = ()
    placeholder_value: str | None = None
    default_json: str | None = None
    """The declared default as the JSON a response carries, as a Python literal."""
    references: str = ""
    """For a relation key: the package of the target module (``account`` for the account)."""
    references_key: str = ""
    fill: str | None = None
    """SQL for existing rows when a later migration adds or tightens the column; None for a
    relation key, which has no value to give."""
    spec: Field11 | None = field(default=None, compare=False, repr=False)
    """The field the column was made from, for samples at another counter than ``n``."""

    @property
    def aliased(self) -> bool:
        return self.attr != self.name

    @property
    def accepted(self) -> bool:
        """Part of request bodies: not the key, not server-set."""
        return not (self.primary_key or self.read_only or self.role == "managed")

    @property
    def returned(self) -> bool:
        return not self.write_only

    @property
    def always_sent(self) -> bool:
        """Returned, and never null in the tests' bodies (they leave optional relations out)."""
        return self.returned and (self.role == "field" or not self.nullable)

    @property
    def required(self) -> bool:
        return self.accepted and not self.nullable and self.default is None

    @property
    def public_type(self) -> str:
        return f"{self.python_type} | None" if self.nullable else self.python_type

    def _field_args(self, default: str | None = None) -> str:
        args = [default] if default is not None else []
        if self.aliased:
            args.append(f"alias={py_str(self.name)}")
        if self.description:
            args.append(f"description={py_str(self.description)}")
        return ", ".join(args)

    def _declaration(self, annotation: str, default: str | None) -> str:
        args = self._field_args(default)
        if not args:
            return f"{self.attr}: {annotation}"
        if default is not None and args == default:
            return f"{self.attr}: {annotation} = {default}"
        return f"{self.attr}: {annotation} = Field({args})"

    @property
    def create_declaration(self) -> str:
        if self.nullable and self.default is None:
            return self.update_declaration
        annotation = f"{self.input_type} | None" if self.nullable else self.input_type
        return self._declaration(annotation, self.default)

    @property
    def update_declaration(self) -> str:
        return self._declaration(f"{self.input_type} | None", "None")

    @property
    def public_declaration(self) -> str:
        """The response field, typed as ``_PUBLIC_TYPES`` says where the entity's type is not
        what the JSON should carry."""
        annotation = _PUBLIC_TYPES.get(self.kind, self.python_type)
        if self.nullable and self.kind != "json":
            annotation = f"{annotation} | None"
        return self._declaration(annotation, None)

    @property
    def space(self) -> str | None:
        """How many rows take different sample values before one repeats (see ``samples``)."""
        return None if self.spec is None else samples.space(self.spec)

    def sample_at(self, counter: str) -> str:
        """The sample with ``counter`` (a Python expression) in place of ``n``."""
        if counter == "n" or self.spec is None:
            return self.sample
        return samples.sample(self.spec, self.name, counter)

    @property
    def key_default(self) -> tuple[str, ...]:
        """How the database fills a primary key: an identity column, or a random uuid."""
        if not self.primary_key:
            return ()
        if self.kind == "integer":
            return ("sa.Identity()",)
        return (f"server_default={field_types.UUID_DEFAULT}",)

    @property
    def server_args(self) -> tuple[str, ...]:
        """The column's defaults: a key's generator, a declared default, a managed timestamp."""
        if self.server_default is not None:
            return (*self.key_default, f"server_default={self.server_default}")
        return self.key_default

    @property
    def column_args(self) -> str:
        """``mapped_column`` arguments; named constraints live in ``__table_args__``."""
        args = [py_str(self.name)] if self.aliased else []
        args.append(self.ddl_type)
        if self.foreign_key is not None:
            args.append(
                f'sa.ForeignKey("{self.foreign_key}", ondelete="{self.on_delete}", '
                f'name=conv("{self.foreign_key_name}"))'
            )
        args.extend(self.server_args)
        if self.primary_key:
            args.append("primary_key=True")
        args.append(f"nullable={self.nullable}")
        return ", ".join(args)

    @property
    def placeholder(self) -> str:
        """A value for a required column that nobody supplied (the first admin's own fields)."""
        return self.placeholder_value or _PLACEHOLDERS[self.kind]


def column_view(
    spec: Field11,
    *,
    role: Role = "field",
    foreign_key: str | None = None,
    foreign_key_name: str = "",
    on_delete: str | None = None,
    server_default: str | None = None,
    references: str = "",
    references_key: str = "",
) -> ColumnView:
    info = field_types.TYPES[spec.type]
    nullable = spec.nullable and not spec.primary_key
    return ColumnView(
        name=spec.name,
        attr=attribute_name(spec.name),
        kind=spec.type,
        role=role,
        primary_key=spec.primary_key,
        nullable=nullable,
        unique=spec.unique or spec.primary_key,
        python_type=info.python,
        input_type=field_types.input_annotation(spec),
        ddl_type=field_types.ddl_type(spec),
        sql_type=field_types.sql_type(spec),
        sample=samples.sample(spec, spec.name),
        invalid=samples.invalid(spec),
        description=spec.description,
        read_only=spec.read_only,
        write_only=spec.write_only,
        default=None if spec.default is None else field_types.python_literal(spec, spec.default),
        server_default=server_default or field_types.server_default(spec),
        foreign_key=foreign_key,
        foreign_key_name=foreign_key_name,
        on_delete=on_delete,
        checks=tuple(field_types.checks(spec)),
        placeholder_value=_placeholder(spec),
        default_json=_default_json(spec),
        references=references,
        references_key=references_key,
        fill=None if foreign_key else field_types.fill_sql(spec),
        spec=spec,
    )


def _default_json(spec: Field11) -> str | None:
    """The declared default as responses carry it: decimals in fixed-point notation, as the
    response type writes them (a canonical ``0E-10`` comes back as ``0.0000000000``)."""
    if spec.default is None:
        return None
    if spec.type == "decimal":
        return repr(format(Decimal(str(spec.default)), "f"))
    return repr(spec.default)


def _placeholder(spec: Field11) -> str | None:
    """A value within the field's CHECK constraints and length, when the fixed one is not."""
    if spec.type == "enum" and spec.values:
        return json.dumps(spec.values[0])
    if spec.type in ("string", "text") and spec.min_length:
        return json.dumps("-" * spec.min_length)
    bound = field_types.placeholder_bound(spec)
    if bound is None:
        return None
    return field_types.python_literal(spec, str(bound) if spec.type == "decimal" else bound)


def py_str(value: str) -> str:
    """A string literal valid in Python and TOML alike (JSON escapes, so newlines are safe)."""
    return json.dumps(value, ensure_ascii=False)
