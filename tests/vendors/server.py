"""One fake vendor server on loopback: it answers from a script and records every request.

The real SDKs talk to it over real HTTP, so the tests see what goes on the wire and how each SDK
reads real response and error bodies. Every connection is closed after its answer (HTTP/1.0),
so nothing is left open when the server stops.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted answer. ``body`` is sent as JSON, or as is when it is bytes; ``delay`` holds
    the answer back (to time a client out)."""

    status: int
    body: object
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived; header names are lower case."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any


POLL_INTERVAL = 0.01  # how soon ``shutdown`` is noticed (the default, 0.5 s, slows every test)
EXHAUSTED = Reply(418, {"error": {"message": "the fake server's script is exhausted"}})


class VendorServer:
    """Serves ``script`` in order, one reply per POST, on 127.0.0.1 and a free port."""

    def __init__(self, script: Iterable[Reply]) -> None:
        self.requests: list[Recorded] = []
        self._script = list(script)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> VendorServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stopping.set()
        self._http.shutdown()
        self._http.server_close()
        self._thread.join()

    def _serve(self) -> None:
        self._http.serve_forever(poll_interval=POLL_INTERVAL)

    def answer(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self._script.pop(0) if self._script else EXHAUSTED

    def hold(self, seconds: float) -> bool:
        """Waits, but no longer than until the server stops; True when it stopped."""
        return self._stopping.wait(seconds)


def _handler(server: VendorServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, *args: Any) -> None:
            """Quiet: the recorded requests are the log."""

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            reply = server.answer(Recorded(self.command, self.path, headers, _parsed(raw)))
            if server.hold(reply.delay):
                return  # stopped while holding: the client gave up already
            data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _parsed(raw: bytes) -> Any:
    return json.loads(raw) if raw else None
