"""Review findings: a stable code, a JSON pointer into the submitted document, a message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProblemCode(StrEnum):
    """Stable review codes (SPEC_IR.md "Review rules"). Never renamed once released."""

    SCHEMA = "SPEC_SCHEMA"
    UNKNOWN_KEY = "SPEC_UNKNOWN_KEY"
    VERSION_FEATURE = "SPEC_VERSION_FEATURE"
    INVALID_IDENTIFIER = "SPEC_INVALID_IDENTIFIER"
    RESERVED_NAME = "SPEC_RESERVED_NAME"
    DUPLICATE_ENTITY = "SPEC_DUPLICATE_ENTITY"
    DUPLICATE_TABLE = "SPEC_DUPLICATE_TABLE"
    DUPLICATE_FIELD = "SPEC_DUPLICATE_FIELD"
    DUPLICATE_VALUE = "SPEC_DUPLICATE_VALUE"
    MISSING_PRIMARY_KEY = "SPEC_MISSING_PRIMARY_KEY"
    MULTIPLE_PRIMARY_KEYS = "SPEC_MULTIPLE_PRIMARY_KEYS"
    PRIMARY_KEY_TYPE = "SPEC_PRIMARY_KEY_TYPE"
    INVALID_FIELD_TYPE = "SPEC_INVALID_FIELD_TYPE"
    CONSTRAINT_MISMATCH = "SPEC_CONSTRAINT_MISMATCH"
    DEFAULT_TYPE = "SPEC_DEFAULT_TYPE"
    RELATION_TARGET_UNKNOWN = "SPEC_RELATION_TARGET_UNKNOWN"
    RELATION_CYCLE = "SPEC_RELATION_CYCLE"
    RELATION_SET_NULL_NOT_NULLABLE = "SPEC_RELATION_SET_NULL_NOT_NULLABLE"
    OWNED_REQUIRES_AUTH = "SPEC_OWNED_REQUIRES_AUTH"
    UNKNOWN_ROLE = "SPEC_UNKNOWN_ROLE"
    UNKNOWN_REFERENCE = "SPEC_UNKNOWN_REFERENCE"
    LIMIT = "SPEC_LIMIT"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding. ``path`` is an RFC 6901 JSON pointer into the document as submitted."""

    code: ProblemCode
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code.value, "path": self.path, "message": self.message}
