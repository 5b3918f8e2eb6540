"""Reading a real database with the psql that ships with the embedded server."""

from __future__ import annotations

import subprocess

from deeprun.adapters.databases import psql_path

SCHEMA_QUERIES = (
    "SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,"
    " numeric_scale, is_nullable, column_default, is_identity FROM information_schema.columns"
    " WHERE table_schema = 'public' AND table_name <> 'alembic_version' ORDER BY 1, 2",
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text"
    " <> 'alembic_version' ORDER BY 1, 2",
    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
    " AND tablename <> 'alembic_version' ORDER BY 1, 2",
)


def psql(url: str, sql: str) -> str:
    """Runs SQL (stopping at the first error); the rows as ``a|b`` lines."""
    result = subprocess.run(
        [str(psql_path()), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def schema_of(url: str) -> list[str]:
    """Every column, constraint and index of the public schema, as comparable text."""
    return [psql(url, query) for query in SCHEMA_QUERIES]
