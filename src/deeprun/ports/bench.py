"""The boundaries ``bench perf`` crosses besides the gates': a load generator, the memory of a
running server, and single HTTP calls, all on loopback.

Services compose these; adapters implement them (wrk, /proc, httpx); tests use real ones on a
tiny loopback server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from deeprun.ports.gates import CommandResult


@dataclass(frozen=True, slots=True)
class Shot:
    """One request, sent over and over: a method, a loopback URL, headers and a body."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: str | None = None


@dataclass(frozen=True, slots=True)
class LoadShape:
    """How hard and how long: every run is bounded in time and in open connections."""

    seconds: int
    connections: int
    threads: int
    timeout: float = 5.0  # per request; a slower answer counts as a timeout error


@dataclass(frozen=True, slots=True)
class LoadFigures:
    """What one run measured. Latencies in milliseconds, per request as the client saw it."""

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int  # answers outside 2xx/3xx: the figures are not about the route then
    socket_errors: int  # connect, read, write and timeout errors

    @property
    def per_second(self) -> float:
        return round(self.requests / self.seconds, 1) if self.seconds > 0 else 0.0

    @property
    def clean(self) -> bool:
        return self.requests > 0 and self.non_2xx == 0 and self.socket_errors == 0

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "requests_per_second": self.per_second, "clean": self.clean}


class LoadGenerator(Protocol):
    def version(self) -> str:
        """The generator's name and version; GateError when it is not installed."""
        ...

    def drive(self, shot: Shot, shape: LoadShape) -> LoadFigures:
        """Sends ``shot`` for ``shape.seconds`` over ``shape.connections``; loopback only."""
        ...


@dataclass(frozen=True, slots=True)
class Memory:
    """A process's resident memory now and at its peak, in KiB."""

    rss_kib: int
    peak_kib: int


class Server(Protocol):
    """A server process the benchmark started."""

    def running(self) -> bool: ...

    def stop(self) -> str:
        """Ends the process group and returns what it wrote."""
        ...

    def memory(self) -> Memory | None:
        """None once the process has ended."""
        ...

    def cpu_seconds(self) -> float | None:
        """Processor time the process has used so far (user and system); None once ended."""
        ...


class Launcher(Protocol):
    """Runs commands and starts servers as the gates' sandbox does (own process group, an
    environment built only from ``env``)."""

    def run(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> CommandResult: ...

    def start(self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str]) -> Server: ...


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: object  # the JSON answer, or None when it was not JSON


class HttpClient(Protocol):
    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: object = None,
    ) -> Reply:
        """One request to a loopback URL; GateError when no answer came."""
        ...
