"""Words a name may not take, and why: Python, PostgreSQL, and the generated project itself."""

from __future__ import annotations

import keyword
from typing import Final

PYTHON_KEYWORDS: Final = frozenset(keyword.kwlist)

# PostgreSQL's key words appendix, "reserved" column (including "can be function or type").
POSTGRES_RESERVED: Final = frozenset(
    """
    all analyse analyze and any array as asc asymmetric authorization binary both case cast check
    collate collation column concurrently constraint create cross current_catalog current_date
    current_role current_schema current_time current_timestamp current_user default deferrable
    desc distinct do else end except false fetch for foreign freeze from full grant group having
    ilike in initially inner intersect into is isnull join lateral leading left like limit
    localtime localtimestamp natural not notnull null offset on only or order outer overlaps
    placing primary references returning right select session_user similar some symmetric
    system_user table tablesample then to trailing true union unique user using variadic verbose
    when where window with
    """.split()
)

# Distribution and top-level package names inside a generated project.
PROJECT_NAME_CLASHES: Final = frozenset(
    """
    app tests migrations scripts fastapi starlette sqlalchemy alembic pydantic pydantic_settings
    uvicorn asyncpg psycopg jwt pyjwt argon2 argon2_cffi structlog httpx pytest ruff mypy
    import_linter typing json deeprun
    """.split()
)

LIST_QUERY_PARAMETERS: Final = frozenset({"q", "sort", "limit", "offset"})

# Modules every generated backend has; an entity's module may not take their place.
RESERVED_MODULES: Final = frozenset({"health", "auth"})

# Tables the generated backend owns.
ALEMBIC_TABLE: Final = "alembic_version"
ACCOUNT_TABLE: Final = "users"
REFRESH_TOKEN_TABLE: Final = "refresh_tokens"  # noqa: S105 (a table name)

# Columns of the account model that the auth module manages on a declared User entity.
ACCOUNT_MANAGED_FIELDS: Final = frozenset(
    {"password", "password_hash", "hashed_password", "role", "is_active", "created_at"}
)
