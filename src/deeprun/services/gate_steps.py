"""One function per readiness gate. Each reads and writes the shared ``Run`` and returns an
``Outcome``; ``readiness`` orders them, times them and decides what is skipped."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from deeprun.contracts.gates import FUZZ_EXAMPLES, Failure, GateStatus, Severity
from deeprun.logic import failures as parse
from deeprun.logic.project_pins import project_requirements
from deeprun.ports.gates import (
    CommandResult,
    ContainerEngine,
    Databases,
    DockerfileLinter,
    Fuzzer,
    HttpProbe,
    ImportGraph,
    Installer,
    ProjectFiles,
    Sandbox,
)
from deeprun.services import architecture

ADMIN_EMAIL = "gate-admin@example.com"
_TAIL = 1500  # characters of a failed command's output kept as evidence


@dataclass(frozen=True, slots=True)
class Tools:
    files: ProjectFiles
    graph: ImportGraph
    linter: DockerfileLinter
    sandbox: Sandbox
    installer: Installer
    databases: Databases
    probe: HttpProbe
    fuzzer: Fuzzer
    containers: ContainerEngine
    free_port: Callable[[], int]
    clock: Callable[[], float]


@dataclass(frozen=True, slots=True)
class Policy:
    allowed_skips: frozenset[str] = frozenset()
    fail_fast: bool = False  # after the first failure, skip the rest (the verdict is NO anyway)
    fuzz_examples: int = FUZZ_EXAMPLES
    boot_budget: float = 30.0  # seconds until /health must answer 200
    command_timeout: float = 600.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: GateStatus
    failures: tuple[Failure, ...] = ()
    evidence: Mapping[str, object] = field(default_factory=dict)
    reason: str | None = None

    @classmethod
    def failed(
        cls,
        failures: Sequence[Failure] = (),
        *,
        reason: str | None = None,
        evidence: Mapping[str, object] | None = None,
    ) -> Outcome:
        return cls(GateStatus.FAILED, tuple(failures), evidence or {}, reason)

    @classmethod
    def of(cls, failures: Sequence[Failure], **evidence: object) -> Outcome:
        """Passed unless a failure has error severity."""
        blocking = any(f.severity is Severity.ERROR for f in failures)
        return cls(GateStatus.FAILED if blocking else GateStatus.PASSED, tuple(failures), evidence)


class Run:
    """What one ``check ready`` knows as it goes: the working copy, its venv, its server."""

    def __init__(self, project: Path, tools: Tools, cleanup: ExitStack, policy: Policy) -> None:
        self.project = project
        self.tools = tools
        self.cleanup = cleanup
        self.fuzz_examples = policy.fuzz_examples
        self.boot_budget = policy.boot_budget
        self.timeout = policy.command_timeout
        self.files = tools.files.read(project)
        self.venv: Path | None = None
        self.base_url: str | None = None
        self.migrated: str | None = None  # a database the migrations gate left at head
        self.secret = secrets.token_urlsafe(48)
        self.admin_password = secrets.token_urlsafe(18)

    @property
    def auth(self) -> bool:
        return any(path.startswith("app/modules/auth/") for path in self.files)

    def env(self, **extra: str) -> dict[str, str]:
        assert self.venv is not None, "install runs first"
        return {
            "PATH": f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "VIRTUAL_ENV": str(self.venv),
            "MYPY_CACHE_DIR": str(self.venv / "mypy-cache"),
            **extra,
        }

    def executable(self, name: str) -> str:
        assert self.venv is not None, "install runs first"
        return str(self.venv / "bin" / name)

    def tool(
        self,
        name: str,
        *args: str,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> CommandResult:
        return self.tools.sandbox.run(
            [self.executable(name), *args],
            cwd=self.project,
            env=self.env(**(env or {})),
            timeout=timeout or self.timeout,
        )

    def database(self) -> str:
        """A new empty database, dropped when the run ends."""
        url = self.tools.databases.create()
        self.cleanup.callback(self.tools.databases.drop, url)
        return url

    def server_env(self, url: str, port: int) -> dict[str, str]:
        return {
            "DATABASE_URL": url,
            "JWT_SECRET": self.secret,
            "ENVIRONMENT": "production",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOGIN_RATE_LIMIT": "1000/minute",
            "LOG_LEVEL": "WARNING",
            "FIRST_ADMIN_EMAIL": ADMIN_EMAIL,
            "FIRST_ADMIN_PASSWORD": self.admin_password,
        }


def _failure(gate: str, result: CommandResult, root: Path, what: str) -> Failure:
    """A failed command as one failure: its traceback's last line at the deepest project frame."""
    if result.timed_out:
        return Failure(gate, f"{what}: timed out after {result.seconds:.0f} s")
    found = parse.traceback_failure(gate, result.output, str(root), f"{what} failed")
    return Failure(gate, f"{what}: {found.message}", found.file, found.line)


def architecture_gate(run: Run) -> Outcome:
    tools = architecture.ArchitectureTools(run.tools.files, run.tools.graph, run.tools.linter)
    report = architecture.check_files(run.project, run.files, tools)
    return Outcome.of(report.failures, files=report.files, imports=report.imports)


def install_gate(run: Run) -> Outcome:
    try:
        pins = project_requirements(run.files.get("pyproject.toml", ""))
    except ValueError as exc:
        return Outcome.failed(
            [Failure("install", f"cannot read the pins: {exc}", "pyproject.toml")]
        )
    environment = run.tools.installer.environment(pins, timeout=run.timeout)
    if environment.venv is None:
        return Outcome.failed(
            [Failure("install", environment.output.strip()[-_TAIL:] or "install failed")]
        )
    run.venv = environment.venv
    return Outcome.of((), pins=len(pins), cached=environment.cached, offline=environment.offline)


def ruff_gate(run: Run) -> Outcome:
    root = str(run.project)
    lint = run.tool("ruff", "check", "--no-cache", "--output-format", "json", ".")
    found = parse.ruff_failures(lint.stdout, root) if not lint.timed_out else []
    if lint.exit_code not in (0, 1) and not found:
        found = [_failure("ruff", lint, run.project, "ruff check")]
    formatted = run.tool("ruff", "format", "--check", "--no-cache", ".")
    if not formatted.ok:
        found += parse.format_failures(formatted.output, root) or [
            _failure("ruff", formatted, run.project, "ruff format --check")
        ]
    return Outcome.of(found, lint_findings=len(found))


def mypy_gate(run: Run) -> Outcome:
    result = run.tool("mypy", "--strict", "--no-error-summary", "app", "scripts")
    if result.ok:
        return Outcome.of(())
    found = parse.mypy_failures(result.output, str(run.project))
    return Outcome.failed(found or [_failure("mypy", result, run.project, "mypy")])


def imports_gate(run: Run) -> Outcome:
    result = run.tool("lint-imports", "--no-cache")
    kept = " 0 broken" in result.output
    if result.ok and kept:
        return Outcome.of((), contracts=result.output.count(" KEPT"))
    found = parse.import_failures(result.output, str(run.project))
    return Outcome.failed(found or [_failure("imports", result, run.project, "lint-imports")])


MIGRATION_STEPS = ("upgrade head", "check", "downgrade base", "upgrade head", "check")
_STEP = "deeprun-step:"
# One interpreter for every step: importing the stack once saves seconds per step.
_ALEMBIC = (
    "import sys\nfrom alembic.config import main\n"
    f"for step in sys.argv[1:]:\n    print({_STEP!r}, step, flush=True)\n"
    "    main(argv=step.split(), prog='alembic')\n"
)


def migrations_gate(run: Run) -> Outcome:
    url = run.database()
    result = run.tool("python", "-c", _ALEMBIC, *MIGRATION_STEPS, env={"DATABASE_URL": url})
    if result.ok:
        run.migrated = url  # at head after the round trip: boot seeds and serves it
        return Outcome.of((), steps=list(MIGRATION_STEPS))
    ran = [
        line.removeprefix(_STEP).strip()
        for line in result.stdout.splitlines()
        if line.startswith(_STEP)
    ]
    what = "alembic " + (ran[-1] if ran else MIGRATION_STEPS[0])
    return Outcome.failed(
        [_failure("migrations", result, run.project, what)], evidence={"failed_step": what}
    )


def tests_gate(run: Run) -> Outcome:
    result = run.tool(
        "pytest", "-q", "-rfE", "-p", "no:cacheprovider", env={"DATABASE_URL": run.database()}
    )
    counts = parse.pytest_counts(result.output)
    if result.ok and counts.get("passed", 0) > 0:
        return Outcome.of((), **counts)
    found = parse.pytest_failures(result.output, str(run.project))
    if not found:
        found = [_failure("tests", result, run.project, "pytest")]
    return Outcome.failed(found, evidence=counts)


def boot_gate(run: Run) -> Outcome:
    url = run.migrated or run.database()
    port = run.tools.free_port()
    env = run.server_env(url, port)
    steps = [("python", "-m", "scripts.seed")]
    if run.migrated is None:
        steps.insert(0, ("alembic", "upgrade", "head"))
    for step in steps:
        prepared = run.tool(*step, env=env)
        if not prepared.ok:
            return Outcome.failed([_failure("boot", prepared, run.project, " ".join(step))])
    server = run.tools.sandbox.start(
        [run.executable("python"), "-m", "app.server"],
        cwd=run.project,
        env=run.env(**env),
    )
    run.cleanup.callback(server.stop)
    started = run.tools.clock()
    weak = _weak_secret_refused(run, env)  # while the server starts
    base = f"http://127.0.0.1:{port}"
    if not run.tools.probe.wait_healthy(base, run.boot_budget, server.running):
        exited = not server.running()
        found = parse.traceback_failure("boot", server.stop(), str(run.project), "no output")
        reason = (
            "the server exited during boot"
            if exited
            else f"/health did not answer 200 within {run.boot_budget:.0f} s"
        )
        return Outcome.failed(
            [Failure("boot", f"{reason}: {found.message}", found.file, found.line)]
        )
    healthy = run.tools.clock() - started
    run.base_url = base
    flow = run.tools.probe.auth_flow(base, ADMIN_EMAIL, run.admin_password)
    return Outcome.of([*weak, *flow.failures], health_seconds=round(healthy, 3), **flow.evidence)


def _weak_secret_refused(run: Run, env: Mapping[str, str]) -> list[Failure]:
    """With auth, the app must refuse to start on a short JWT secret (outside development)."""
    if not run.auth:
        return []
    weak = {**env, "JWT_SECRET": "short-secret"}
    result = run.tool("python", "-m", "app.server", env=weak, timeout=20)
    if result.exit_code not in (0, None):
        return []
    return [
        Failure("boot", "the app started with a 12-character JWT_SECRET", tool_code="weak-secret")
    ]


def fuzz_gate(run: Run) -> Outcome:
    if run.base_url is None:
        return Outcome(GateStatus.NOT_RUN, reason="the app did not boot")
    headers = (
        run.tools.probe.admin_headers(run.base_url, ADMIN_EMAIL, run.admin_password)
        if run.auth
        else {}
    )
    if run.auth and not headers:
        return Outcome.failed(reason="could not log in as the first admin to fuzz")
    report = run.tools.fuzzer.fuzz(
        run.base_url, headers, max_examples=run.fuzz_examples, timeout=run.timeout
    )
    found = [Failure("fuzz", line, tool_code="5xx") for line in report.server_errors]
    found += [Failure("fuzz", line, tool_code="incomplete") for line in report.problems]
    if not report.complete and not report.problems:
        found.append(Failure("fuzz", "the fuzzer did not finish", tool_code="incomplete"))
    if report.cases == 0:
        found.append(Failure("fuzz", "the fuzzer ran no case", tool_code="incomplete"))
    return Outcome.of(
        found,
        cases=report.cases,
        requests=report.requests,
        operations=report.operations,
        server_errors=len(report.server_errors),
    )


def container_gate(run: Run) -> Outcome:
    engine = run.tools.containers
    missing = engine.unavailable()
    if missing is not None:
        return Outcome(GateStatus.SKIPPED, reason=f"no container engine: {missing}")
    tag = f"deeprun-gate-{secrets.token_hex(6)}"
    built = engine.build(run.project, tag, timeout=run.timeout)
    run.cleanup.callback(engine.remove_image, tag)
    if not built.ok:
        return Outcome.failed(
            [
                Failure(
                    "container",
                    f"the image did not build: {built.output.strip()[-_TAIL:]}",
                    "Dockerfile",
                )
            ]
        )
    url = run.database()
    migrated = run.tool("alembic", "upgrade", "head", env={"DATABASE_URL": url})
    if not migrated.ok:
        return Outcome.failed(
            [_failure("container", migrated, run.project, "alembic upgrade head")]
        )
    port = run.tools.free_port()
    env = {**run.server_env(url, 8000), "HOST": "0.0.0.0"}  # noqa: S104 - inside the container
    container = engine.start(tag, env=env, port=port, mounts=_socket_dirs(url))
    run.cleanup.callback(container.stop)
    started = run.tools.clock()
    if not run.tools.probe.wait_healthy(f"http://127.0.0.1:{port}", 60, container.running):
        output = container.stop()
        return Outcome.failed(
            [
                Failure(
                    "container",
                    f"the container's /health did not answer 200: {output.strip()[-_TAIL:]}",
                )
            ]
        )
    return Outcome.of(
        (),
        build_seconds=round(built.seconds, 3),
        health_seconds=round(run.tools.clock() - started, 3),
    )


def _socket_dirs(url: str) -> list[Path]:
    """The directory of a Unix-socket database URL (``?host=/dir``), mounted into the container."""
    hosts = parse_qs(urlsplit(url).query).get("host", [])
    return [Path(h) for h in hosts if h.startswith("/")]


STEPS: dict[str, Callable[[Run], Outcome]] = {
    "architecture": architecture_gate,
    "install": install_gate,
    "ruff": ruff_gate,
    "mypy": mypy_gate,
    "imports": imports_gate,
    "migrations": migrations_gate,
    "tests": tests_gate,
    "boot": boot_gate,
    "fuzz": fuzz_gate,
    "container": container_gate,
}
