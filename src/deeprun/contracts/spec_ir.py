"""The Spec IR, versions "1.0" and "1.1" (../shared/design/SPEC_IR.md), as Pydantic models.

The models check shape only: types, required keys, unknown keys, ranges that JSON Schema can say.
Everything that needs the whole document (names, references, cycles, access) is review's job, in
``deeprun.logic.review``. A "1.1" model extends its "1.0" twin, so 1.1 stays a strict superset.

Scalars are strict (no "30" for 30, no 1 for true); sequences are tuples so the models are
immutable values.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, JsonValue, Strict

Bool = Annotated[bool, Strict()]
Int = Annotated[int, Strict()]
Str = Annotated[str, Strict()]
Number = Annotated[int, Strict()] | Annotated[float, Strict()]

FieldType10 = Literal["string", "integer", "float", "boolean", "datetime", "uuid", "text"]
FieldType11 = Literal[
    "string",
    "integer",
    "float",
    "boolean",
    "datetime",
    "uuid",
    "text",
    "date",
    "decimal",
    "enum",
    "json",
]
FIELD_TYPES_10: Final = frozenset(get_args(FieldType10))
FIELD_TYPES_11: Final = frozenset(get_args(FieldType11))
RelationKind = Literal["many_to_one", "one_to_one", "many_to_many"]
OnDelete = Literal["cascade", "restrict", "set_null"]

MAX_ENTITIES: Final = 200
MAX_FIELDS: Final = 250
MAX_RELATIONS: Final = 100
MAX_ENUM_VALUES: Final = 100
MAX_SEED_ROWS: Final = 1000
MAX_DESCRIPTION: Final = 2000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Database(_Model):
    type: Literal["postgres"] = Field(description="Only PostgreSQL is supported.")
    version: Literal["15", "16", "17", "18"] = Field(description="PostgreSQL major version.")


class Auth10(_Model):
    enabled: Bool = Field(description="Generate accounts, JWT login and protected routes.")
    type: Literal["jwt"] = "jwt"
    access_token_expiry_minutes: Int = Field(30, ge=1, le=1440)


class Auth11(Auth10):
    refresh_token_expiry_minutes: Int = Field(
        10080, ge=0, le=525600, description="0 disables refresh tokens; otherwise 5..525600."
    )
    roles: tuple[Str, ...] = Field(
        ("admin", "user"), min_length=1, description="snake_case role names; must contain admin."
    )
    default_role: Str = Field("user", description="The role a self-registered account gets.")
    registration: Literal["open", "admin_only"] = "open"


class Field10(_Model):
    name: Str = Field(description="snake_case after normalization; unique within the entity.")
    type: FieldType10
    primary_key: Bool = False
    nullable: Bool = False
    unique: Bool = False


class Field11(Field10):
    type: FieldType11  # type: ignore[assignment]  # 1.1 widens the whitelist
    default: JsonValue = Field(None, description="A literal of the field's type.")
    description: Str = Field("", max_length=MAX_DESCRIPTION)
    min_length: Int | None = Field(None, ge=0, description="string/text only.")
    max_length: Int | None = Field(None, ge=0, description="string/text only; string gets 255.")
    pattern: Str | None = Field(None, description="string only; a regular expression.")
    format: Literal["email", "url"] | None = Field(None, description="string only.")
    minimum: Number | None = Field(None, description="integer/float/decimal only.")
    maximum: Number | None = Field(None, description="integer/float/decimal only.")
    precision: Int | None = Field(None, ge=1, le=38, description="decimal only; default 12.")
    scale: Int | None = Field(None, ge=0, le=38, description="decimal only; default 2.")
    values: tuple[Str, ...] | None = Field(
        None, min_length=1, max_length=MAX_ENUM_VALUES, description="enum only: snake_case values."
    )
    read_only: Bool = Field(False, description="Set by the server, never accepted in input.")
    write_only: Bool = Field(False, description="Accepted in input, never returned.")


class Relation(_Model):
    name: Str = Field(description="snake_case; the foreign key column is <name>_id.")
    kind: RelationKind
    target: Str = Field(description="An entity name in the spec (self-reference allowed).")
    nullable: Bool = False
    on_delete: OnDelete = "restrict"
    back_populates: Str | None = Field(None, description="Reverse collection on the target.")


class Permissions(_Model):
    """Principals per operation; an operation left out takes the default of SPEC_IR.md Access."""

    create: tuple[Str, ...] | None = None
    read: tuple[Str, ...] | None = None
    update: tuple[Str, ...] | None = None
    delete: tuple[Str, ...] | None = None


class ListOptions(_Model):
    default_sort: Str | None = Field(None, description="A field name, '-' for descending.")
    max_page_size: Int = Field(100, ge=1, le=1000)
    filterable: tuple[Str, ...] = ()
    sortable: tuple[Str, ...] = ()
    searchable: tuple[Str, ...] = ()


class Entity10(_Model):
    name: Str = Field(description="PascalCase singular after normalization.")
    table_name: Str | None = Field(None, description="Default: snake_case plural of name.")
    fields: tuple[Field10, ...] = Field(min_length=1, max_length=MAX_FIELDS)
    crud: Bool = True


class Entity11(Entity10):
    fields: tuple[Field11, ...] = Field(min_length=1, max_length=MAX_FIELDS)
    relations: tuple[Relation, ...] = Field((), max_length=MAX_RELATIONS)
    owned: Bool = False
    permissions: Permissions | None = None
    soft_delete: Bool = False
    timestamps: Bool = False
    unique_together: tuple[Annotated[tuple[Str, ...], Field(min_length=2)], ...] = ()
    indexes: tuple[Annotated[tuple[Str, ...], Field(min_length=1)], ...] = ()
    list_options: ListOptions = Field(default_factory=ListOptions, alias="list")
    seed: tuple[dict[Str, JsonValue], ...] = Field((), max_length=MAX_SEED_ROWS)


class Spec10(_Model):
    spec_version: Literal["1.0"]
    project_name: Str
    description: Str = Field(max_length=MAX_DESCRIPTION)
    database: Database
    auth: Auth10
    entities: tuple[Entity10, ...] = Field(min_length=1, max_length=MAX_ENTITIES)


class Spec11(Spec10):
    spec_version: Literal["1.1"]  # type: ignore[assignment]
    auth: Auth11
    entities: tuple[Entity11, ...] = Field(min_length=1, max_length=MAX_ENTITIES)


Spec = Spec10 | Spec11
SPEC_MODELS: Final[dict[str, type[Spec10]]] = {"1.0": Spec10, "1.1": Spec11}
SPEC_VERSIONS: Final = tuple(SPEC_MODELS)
