"""The boundaries the gates cross: processes, databases, installs, HTTP, containers, tools.

Services compose these; adapters implement them; tests swap in fakes from ``tests/doubles``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from deeprun.contracts.gates import Failure, Import


@dataclass(frozen=True, slots=True)
class CommandResult:
    argv: tuple[str, ...]
    exit_code: int | None  # None when the command was killed (timeout)
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class ProjectFiles(Protocol):
    def read(self, root: Path) -> dict[str, str]:
        """Every text file of the project by relative POSIX path (no caches, no .git)."""
        ...

    def copy(self, root: Path, destination: Path) -> None:
        """A working copy without caches, so checks never write into the user's folder."""
        ...


class Service(Protocol):
    """A long-running process the sandbox started (a server)."""

    def running(self) -> bool: ...

    def stop(self) -> str:
        """Ends the process group and returns what it wrote."""
        ...


class Sandbox(Protocol):
    """Runs generated code: its own process group, an environment built only from ``env``
    plus an allowlist (never the host's), a timeout and a memory limit."""

    def run(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> CommandResult: ...

    def start(self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str]) -> Service: ...


class Databases(Protocol):
    """Throwaway PostgreSQL databases for one check each."""

    def create(self) -> str:
        """A new empty database; its URL (``postgresql://…``)."""
        ...

    def drop(self, url: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Environment:
    """A virtual environment holding a project's pins."""

    venv: Path | None  # None when the install failed
    cached: bool  # reused as it was: nothing was installed
    offline: bool  # installed from the local cache alone
    output: str = ""


class Installer(Protocol):
    def environment(self, requirements: Sequence[str], *, timeout: float) -> Environment:
        """The shared environment for exactly these requirements (one per requirement set)."""
        ...


class ImportGraph(Protocol):
    def imports(self, root: Path, package: str) -> tuple[Import, ...] | None:
        """Every import in ``package`` found under ``root``, except those under TYPE_CHECKING;
        None when a file of the package does not parse."""
        ...


class DockerfileLinter(Protocol):
    def lint(self, dockerfile: Path) -> tuple[Failure, ...]:
        """Findings coded ``DOCKER.LINT`` with the linter's own code as ``tool_code``."""
        ...


@dataclass(frozen=True, slots=True)
class FuzzReport:
    cases: int
    requests: int
    operations: int
    server_errors: tuple[str, ...]  # one line per distinct 5xx with a reproduction
    problems: tuple[str, ...]  # anything that kept the run from being complete
    complete: bool
    seconds: float

    def summary(self) -> str:
        lines = [
            f"{self.cases} cases, {self.requests} requests, {self.operations} operations "
            f"in {self.seconds:.1f} s{'' if self.complete else ' (INCOMPLETE)'}",
            *(f"5xx: {line}" for line in self.server_errors),
            *(f"problem: {line}" for line in self.problems),
        ]
        return "\n".join(lines)


class Fuzzer(Protocol):
    def fuzz(
        self, base_url: str, headers: Mapping[str, str], *, max_examples: int, timeout: float
    ) -> FuzzReport: ...


@dataclass(frozen=True, slots=True)
class Probe:
    failures: tuple[Failure, ...]
    evidence: Mapping[str, object] = field(default_factory=dict)


class HttpProbe(Protocol):
    """What the boot and container gates ask of a running server, over loopback only."""

    def wait_healthy(self, base_url: str, budget: float, alive: Callable[[], bool]) -> bool:
        """True once ``/health`` answers 200; False when the budget ends or ``alive`` fails."""
        ...

    def auth_flow(self, base_url: str, admin_email: str, admin_password: str) -> Probe:
        """Register an account, log it in, make an authorized call, and see a 401 without a
        token. Failures are coded ``boot``."""
        ...

    def admin_headers(
        self, base_url: str, admin_email: str, admin_password: str
    ) -> Mapping[str, str]: ...


class ContainerEngine(Protocol):
    def unavailable(self) -> str | None:
        """Why images cannot be built and run here; None when they can."""
        ...

    def build(self, context: Path, tag: str, *, timeout: float) -> CommandResult: ...

    def start(
        self, tag: str, *, env: Mapping[str, str], port: int, mounts: Sequence[Path]
    ) -> Service:
        """Runs the image with ``port`` published on 127.0.0.1 and ``mounts`` bound read-write
        at the same paths (a database socket directory)."""
        ...

    def remove_image(self, tag: str) -> None: ...
