"""One command invocation: read input, log, and finish with exactly one envelope.

With ``--json`` the envelope is the only thing on stdout; without it people get Rich output.
Every error becomes an envelope with an ERR_* code and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import NoReturn

import structlog
import typer
from rich.console import Console

from deeprun.contracts.envelope import Envelope, ErrorInfo
from deeprun.contracts.errors import DeeprunError, InternalError
from deeprun.entrypoints.inputs import read_source
from deeprun.entrypoints.logs import configure_logging, level_for
from deeprun.entrypoints.render import show_error
from deeprun.logic.canonical_json import canonical_json
from deeprun.logic.identity import execution_id as derive_execution_id

Show = Callable[[Console], None]
log = structlog.get_logger("deeprun.cli")


class Session:
    def __init__(self, command: str, json_output: bool, execution_id: str | None) -> None:
        self.command = command
        self.json_output = json_output
        self.execution_id = execution_id
        self.identity_seed = b""  # what a derived execution id hashes: the input, once read
        self.started = time.perf_counter()
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    def read(self, source: str) -> bytes:
        self.identity_seed = source.encode()
        data = read_source(source)
        self.identity_seed = data
        structlog.contextvars.bind_contextvars(execution_id=self._id())
        log.info("input.read", source=source, bytes=len(data))
        return data

    def identify(self, seed: bytes) -> None:
        """What a derived execution id hashes when the command reads no document."""
        self.identity_seed = seed
        structlog.contextvars.bind_contextvars(execution_id=self._id())

    def succeed(self, payload: Mapping[str, object], show: Show) -> NoReturn:
        self._finish(Envelope(self.command, self._id(), payload), show)

    def fail(
        self,
        error: DeeprunError,
        payload: Mapping[str, object] | None = None,
        show: Show | None = None,
    ) -> NoReturn:
        """``show`` prints the details people need before the one-line error."""
        body = {**(payload or {}), **error.details()}
        envelope = Envelope(self.command, self._id(), body, ErrorInfo(error.code, error.message))

        def shown(console: Console) -> None:
            if show is not None:
                show(console)
            show_error(console, error)

        self._finish(envelope, shown)

    def _finish(self, envelope: Envelope, show: Show) -> NoReturn:
        code = envelope.error.code.value if envelope.error else None
        elapsed_ms = round((time.perf_counter() - self.started) * 1000, 3)
        log.info("command.end", status=envelope.status, code=code, elapsed_ms=elapsed_ms)
        if self.json_output:
            sys.stdout.write(canonical_json(envelope.to_json()) + "\n")
            sys.stdout.flush()
        else:
            show(self.out if envelope.error is None else self.err)
        raise typer.Exit(0 if envelope.error is None else 1)

    def _id(self) -> str:
        """The supplied id, or one derived once from the command and what it read."""
        if self.execution_id is None:
            self.execution_id = derive_execution_id(self.command, self.identity_seed)
        return self.execution_id


@contextmanager
def session(command: str, json_output: bool, execution_id: str | None) -> Iterator[Session]:
    configure_logging(level_for(json_output, os.environ.get("DEEPRUN_LOG_LEVEL")))
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(command=command)
    current = Session(command, json_output, execution_id)
    log.info("command.start")
    try:
        yield current
    except DeeprunError as exc:
        current.fail(exc)
    except (typer.Exit, typer.Abort):
        raise
    except Exception:
        log.exception("command.crashed")
        current.fail(InternalError("an unexpected error occurred; the log on stderr has details"))
