"""In-memory fakes of the gates' ports: scripted answers, and a record of what was asked."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deeprun.contracts.errors import GateError
from deeprun.contracts.gates import Failure, Import
from deeprun.ports.gates import CommandResult, Environment, FuzzReport, Probe

PYPROJECT = '[project]\ndependencies = ["fastapi==1"]\n[dependency-groups]\ndev = ["pytest==9"]\n'
PROJECT = {"pyproject.toml": PYPROJECT, "app/__init__.py": "", "app/modules/auth/router.py": ""}
Script = Callable[[Sequence[str]], CommandResult]


def ok(argv: Sequence[str], stdout: str = "", exit_code: int = 0) -> CommandResult:
    return CommandResult(tuple(argv), exit_code, stdout, "", 0.01)


def _default(argv: Sequence[str]) -> CommandResult:
    tool = Path(argv[0]).name
    if tool == "pytest":
        return ok(argv, "3 passed in 0.10s\n")
    if tool == "lint-imports":
        return ok(argv, "Contracts: 2 kept, 0 broken.\n")
    if tool == "python" and argv[1:3] == ["-m", "app.server"]:
        return ok(argv, "JWT_SECRET must be at least 32 characters", exit_code=2)
    return ok(argv, "[]" if tool == "ruff" else "")


@dataclass
class MemoryProject:
    files: dict[str, str] = field(default_factory=lambda: dict(PROJECT))

    def read(self, root: Path) -> dict[str, str]:
        return dict(self.files)

    def copy(self, root: Path, destination: Path) -> None:
        destination.mkdir(parents=True)


@dataclass
class ScriptedSandbox:
    """Answers by tool name through ``scripts``; everything else succeeds."""

    scripts: dict[str, Script] = field(default_factory=dict)
    ran: list[tuple[str, ...]] = field(default_factory=list)
    started: list[FakeService] = field(default_factory=list)

    def run(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> CommandResult:
        self.ran.append(tuple(argv))
        return self.scripts.get(Path(argv[0]).name, _default)(argv)

    def start(self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str]) -> FakeService:
        service = FakeService()
        self.started.append(service)
        return service


@dataclass
class FakeService:
    alive: bool = True

    def running(self) -> bool:
        return self.alive

    def stop(self) -> str:
        self.alive = False
        return ""


@dataclass
class FakeInstaller:
    venv: Path | None = Path("/venvs/stack")

    def environment(self, requirements: Sequence[str], *, timeout: float) -> Environment:
        return Environment(self.venv, cached=True, offline=True, output="no such pin")


@dataclass
class MemoryDatabases:
    fail: bool = False
    live: set[str] = field(default_factory=set)
    made: int = 0

    def create(self) -> str:
        if self.fail:
            raise GateError("PostgreSQL refused CREATE: no server")
        self.made += 1
        url = f"postgresql://postgres@/gate_{self.made}?host=/run/pg"
        self.live.add(url)
        return url

    def drop(self, url: str) -> None:
        self.live.remove(url)


@dataclass
class FakeProbe:
    healthy: bool = True
    flow: tuple[Failure, ...] = ()

    def wait_healthy(self, base_url: str, budget: float, alive: Callable[[], bool]) -> bool:
        return self.healthy

    def auth_flow(self, base_url: str, admin_email: str, admin_password: str) -> Probe:
        return Probe(self.flow, {"register": 201})

    def admin_headers(
        self, base_url: str, admin_email: str, admin_password: str
    ) -> Mapping[str, str]:
        return {"Authorization": "Bearer admin"}


@dataclass
class FakeFuzzer:
    server_errors: tuple[str, ...] = ()

    def fuzz(
        self, base_url: str, headers: Mapping[str, str], *, max_examples: int, timeout: float
    ) -> FuzzReport:
        return FuzzReport(40, 40, 4, self.server_errors, (), True, 1.0)


@dataclass
class NoContainers:
    def unavailable(self) -> str | None:
        return "podman is not installed"

    def build(self, context: Path, tag: str, *, timeout: float) -> CommandResult:
        raise AssertionError("never built without an engine")

    def start(
        self, tag: str, *, env: Mapping[str, str], port: int, mounts: Sequence[Path]
    ) -> FakeService:
        raise AssertionError("never started without an engine")

    def remove_image(self, tag: str) -> None:
        raise AssertionError("never removed without an engine")


@dataclass
class NoImports:
    def imports(self, root: Path, package: str) -> tuple[Import, ...] | None:
        return ()


@dataclass
class NoLint:
    def lint(self, dockerfile: Path) -> tuple[Failure, ...]:
        return ()


def ticking_clock() -> Callable[[], float]:
    ticks = itertools.count()
    return lambda: float(next(ticks))
