"""Python names for spec names that are legal in the IR but awkward in generated code.

A field's JSON key and column always keep the spec's name. Its Python attribute takes a trailing
underscore when the bare name would shadow something a generated class body relies on: a
Pydantic or SQLAlchemy base attribute, a builtin used in annotations, or a module the templates
import at module level. Entity class names get an ``Entity`` suffix when they equal a name the
templates import bare.
"""

from __future__ import annotations

import keyword
from typing import Final

_PYDANTIC: Final = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "model_computed_fields", "model_config",
        "model_construct", "model_copy", "model_dump", "model_dump_json", "model_extra",
        "model_fields", "model_fields_set", "model_json_schema", "model_parametrized_name",
        "model_post_init", "model_rebuild", "model_validate", "model_validate_json",
        "model_validate_strings", "parse_file", "parse_obj", "parse_raw", "schema",
        "schema_json", "update_forward_refs", "validate",
    }
)  # fmt: skip
_SQLALCHEMY: Final = frozenset({"metadata", "registry"})
_BUILTINS: Final = frozenset(
    {"bool", "bytes", "dict", "float", "int", "list", "object", "self", "set", "str", "tuple",
     "type", "cls"}
)  # fmt: skip
# Every module (and lowercase name) a generated module imports at module level.
_MODULE_NAMES: Final = frozenset(
    {"annotations", "dataclasses", "datetime", "dt", "entity", "fastapi", "field", "func",
     "pydantic", "sa", "types", "typing", "uuid", "mapped_column", "field_validator",
     "classmethod", "staticmethod", "property", "conv", "json"}
)  # fmt: skip
CLASHING_ATTRIBUTES: Final = _PYDANTIC | _SQLALCHEMY | _BUILTINS | _MODULE_NAMES

# Every name a generated module imports bare and could meet beside an entity class.
IMPORTED_CLASS_NAMES: Final = frozenset(
    {"Annotated", "APIRouter", "AsyncSession", "AwareDatetime", "BaseModel", "BigInteger",
     "Boolean", "ConfigDict", "DateTime", "Depends", "Double", "Field", "Identity", "Mapped",
     "Page", "PageQuery", "Principal", "Query", "Request", "Response", "String", "Text", "Uuid",
     "UUID", "InputSchema", "PublicSchema", "SafeStr", "BigInt", "FiniteFloat", "Any", "Final",
     "Mapping", "Sequence", "Protocol", "ClassVar", "Base", "SessionDep", "ActorDep",
     "ConflictError", "NotFoundError", "ForbiddenError", "UnauthorizedError", "ValidationError",
     "InfrastructureError", "IntegrityError", "SQLAlchemyError", "ERROR_RESPONSES",
     "Operation", "Policy", "Self", "Decimal", "Literal", "JsonValue", "JSONB", "Callable",
     "Collection", "NamedTuple", "Row", "Condition", "Id", "OwnerId", "AccountId", "IntId",
     "UuidId", "IdPath", "PublicPage", "SortKey", "EmailText", "HttpUrlText", "RequiredJson",
     "FiniteDecimal", "InstrumentedAttribute", "Path", "Iterator", "TypeVar", "Generic",
     "AfterValidator", "WithJsonSchema", "HttpUrl", "TypeAdapter", "Api", "RoleAccounts",
     "Headers", "ServiceDep", "ProbeDep", "AuthService", "Settings", "FastAPI", "AsyncEngine",
     "AsyncConnection", "Params", "Statements"}
)  # fmt: skip


def attribute_name(name: str) -> str:
    """The Python attribute for a spec field or column name."""
    return f"{name}_" if name in CLASHING_ATTRIBUTES else name


def package_name(snake: str) -> str:
    """The module folder of an entity: a keyword (``Import`` -> ``import``) cannot be imported."""
    return f"{snake}_" if keyword.iskeyword(snake) else snake


def entity_class_name(name: str) -> str:
    """The dataclass name for an entity; other class names derive from it with suffixes."""
    return f"{name}Entity" if name in IMPORTED_CLASS_NAMES else name
