"""The load part of ``bench perf``: the generated API beside two hand-written references, under
the same load, in one run.

The fixed example (``bench/perf/spec.json``) is compiled and installed like the gates do it
(the shared venv of its pins); each app gets its own database on the same PostgreSQL, migrated
by the generated project's migrations and seeded with the same rows, then is booted with
uvicorn, one worker, on 127.0.0.1. The references (``bench/perf/reference_*.py``) run in that
same venv, so every app uses the same FastAPI, Starlette, uvicorn, asyncpg and PyJWT. An account
registered on the generated app gives the token all three check. Every route is tried once on
every app first (right status, same answer shape, 401 without the token), then each route is
driven on each app in turn: a warm-up, then the measured run. Servers and databases end with
the run, whatever happened.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from deeprun.contracts.errors import GateError
from deeprun.logic.perf import (
    RATIO_TARGET,
    cpu_per_request,
    missed_targets,
    per_cpu_second,
    route_ratios,
)
from deeprun.logic.project_pins import project_requirements
from deeprun.ports.bench import (
    HttpClient,
    Launcher,
    LoadFigures,
    LoadGenerator,
    LoadShape,
    Memory,
    Server,
    Shot,
)
from deeprun.ports.gates import Databases, HttpProbe, Installer
from deeprun.services.bench_routes import ROUTES, preflight, shots_for

GENERATED: Final = "generated"
REFERENCES: Final = {"fastapi": "reference_fastapi.py", "starlette": "reference_starlette.py"}
APPS: Final = (GENERATED, *REFERENCES)
SEED_SCRIPT: Final = "seed.py"
STACK: Final = (
    "fastapi", "starlette", "uvicorn", "uvloop", "httptools", "sqlalchemy", "asyncpg",
    "pydantic", "pyjwt", "structlog",
)  # fmt: skip
_VERSIONS = (
    "import importlib.metadata as m, json, sys\n"
    "print(json.dumps({name: m.version(name) for name in sys.argv[1:]}))"
)
BOOT_SECONDS: Final = 60.0
COMMAND_SECONDS: Final = 300.0
_TAIL = 1500


@dataclass(frozen=True, slots=True)
class LoadTools:
    launcher: Launcher
    installer: Installer
    databases: Databases
    probe: HttpProbe
    http: HttpClient
    load: LoadGenerator
    free_port: Callable[[], int]


@dataclass(frozen=True, slots=True)
class LoadOptions:
    seconds: int = 10
    warmup: int = 2
    connections: int = 32
    threads: int = 1
    rows: int = 10_000

    def shape(self, seconds: int) -> LoadShape:
        return LoadShape(seconds, self.connections, self.threads)


@dataclass(frozen=True, slots=True)
class AppRun:
    """One server's figures per route, the processor time it spent per request (steadier than
    the rate on a shared machine), and its memory after boot and after the load."""

    name: str
    routes: Mapping[str, LoadFigures]
    cpu_ms: Mapping[str, float | None]  # per request, by route
    idle: Memory | None
    loaded: Memory | None

    def to_dict(self) -> dict[str, object]:
        return {
            "routes": {
                route: {**figures.to_dict(), "server_cpu_ms_per_request": self.cpu_ms.get(route)}
                for route, figures in self.routes.items()
            },
            "memory_idle_kib": self.idle.rss_kib if self.idle else None,
            "memory_kib": self.loaded.rss_kib if self.loaded else None,
            "memory_peak_kib": self.loaded.peak_kib if self.loaded else None,
        }


@dataclass(frozen=True, slots=True)
class LoadReport:
    generator: str  # the load generator that produced the figures, with its version
    stack: Mapping[str, str]
    options: LoadOptions
    seeded: Mapping[str, object]
    apps: tuple[AppRun, ...]
    targets: Mapping[str, str] = field(default_factory=dict)  # route -> URL path and query

    @property
    def ratios(self) -> dict[str, dict[str, float | None]]:
        """Per route, the generated app's requests per second over each reference's."""
        rates = {app.name: {r: f.per_second for r, f in app.routes.items()} for app in self.apps}
        return route_ratios(rates, GENERATED, tuple(REFERENCES))

    @property
    def cpu_ratios(self) -> dict[str, dict[str, float | None]]:
        """The same with requests per second of server processor time: what the rate would be
        on a core of its own, so it moves little with the machine's other load."""
        rates = {
            app.name: {r: per_cpu_second(ms) for r, ms in app.cpu_ms.items()} for app in self.apps
        }
        return route_ratios(rates, GENERATED, tuple(REFERENCES))

    @property
    def missed(self) -> tuple[str, ...]:
        """Routes where the generated app is under the target share of the FastAPI reference."""
        return missed_targets(self.ratios, "fastapi")

    @property
    def unclean(self) -> tuple[str, ...]:
        """``app/route`` runs that saw errors or non-2xx answers: their figures mislead."""
        return tuple(
            f"{app.name}/{route}"
            for app in self.apps
            for route, figures in app.routes.items()
            if not figures.clean
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "generator": self.generator,
            "stack": dict(self.stack),
            "settings": {**asdict(self.options), "host": "127.0.0.1", "workers": 1},
            "seeded": dict(self.seeded),
            "routes": dict(self.targets),
            "apps": {app.name: app.to_dict() for app in self.apps},
            "ratios": self.ratios,
            "cpu_ratios": self.cpu_ratios,
            "target": {"reference": "fastapi", "ratio": RATIO_TARGET, "missed": list(self.missed)},
            "unclean": list(self.unclean),
        }


@dataclass
class _Booted:
    name: str
    base: str
    server: Server
    idle: Memory | None = None


@dataclass(frozen=True, slots=True)
class _Stage:
    """Where the apps come from and run: the generated project, the references, the venv."""

    project: Path
    references: Path
    venv: Path
    tools: LoadTools
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "PATH": f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "VIRTUAL_ENV": str(self.venv),
            **extra,
        }

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)


def run(
    project: Path,
    references: Path,
    tools: LoadTools,
    options: LoadOptions,
    progress: Callable[[str], None],
) -> LoadReport:
    generator = tools.load.version()  # first: a missing wrk fails before anything starts
    progress("load: installing the generated project's pins")
    stage = _Stage(project, references, _install(project, tools), tools)
    stack = _stack_versions(stage)
    with ExitStack() as cleanup:
        seeded: dict[str, object] = {}
        booted: list[_Booted] = []
        for app in APPS:
            progress(f"load: booting {app}")
            url = tools.databases.create()
            cleanup.callback(tools.databases.drop, url)
            seeded = _prepare(stage, url, options.rows)
            booted.append(_boot(stage, app, url, cleanup))
        for each in booted:  # all three booted, none loaded yet
            each.idle = each.server.memory()
        token = _account_token(booted[0].base, tools.http)
        shots = {app.name: shots_for(app.base, token, seeded) for app in booted}
        preflight(shots, seeded, tools.http)
        figures, cpu = _drive(booted, shots, tools.load, options, progress)
        runs = tuple(
            AppRun(app.name, figures[app.name], cpu[app.name], app.idle, app.server.memory())
            for app in booted
        )
    targets = {route: _target(shot) for route, shot in shots[GENERATED].items()}
    return LoadReport(generator, stack, options, seeded, runs, targets)


def _drive(
    booted: list[_Booted],
    shots: Mapping[str, Mapping[str, Shot]],
    load: LoadGenerator,
    options: LoadOptions,
    progress: Callable[[str], None],
) -> tuple[dict[str, dict[str, LoadFigures]], dict[str, dict[str, float | None]]]:
    """Route by route, each app in turn: a drift of the machine's load hits all three alike.
    Also the server's processor time per request of each measured run."""
    figures: dict[str, dict[str, LoadFigures]] = {app.name: {} for app in booted}
    cpu: dict[str, dict[str, float | None]] = {app.name: {} for app in booted}
    for route in ROUTES:
        for app in booted:
            progress(f"load: {route} on {app.name}")
            shot = shots[app.name][route]
            if options.warmup:
                load.drive(shot, options.shape(options.warmup))
            before = app.server.cpu_seconds()
            measured = load.drive(shot, options.shape(options.seconds))
            after = app.server.cpu_seconds()
            figures[app.name][route] = measured
            cpu[app.name][route] = cpu_per_request(before, after, measured.requests)
    return figures, cpu


def _target(shot: Shot) -> str:
    """``GET /items?category=…``: what a route's run asked, without the host."""
    parts = urlsplit(shot.url)
    return f"{shot.method} {parts.path}" + (f"?{parts.query}" if parts.query else "")


def _install(project: Path, tools: LoadTools) -> Path:
    try:
        pins = project_requirements((project / "pyproject.toml").read_text())
    except (OSError, ValueError) as exc:
        raise GateError(f"cannot read the generated project's pins: {exc}") from exc
    environment = tools.installer.environment(pins, timeout=COMMAND_SECONDS)
    if environment.venv is None:
        raise GateError(f"the generated project did not install: {environment.output[-_TAIL:]}")
    return environment.venv


def _stack_versions(stage: _Stage) -> dict[str, str]:
    result = stage.tools.launcher.run(
        [stage.bin("python"), "-c", _VERSIONS, *STACK],
        cwd=stage.project,
        env=stage.env(),
        timeout=60,
    )
    try:
        versions = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise GateError(f"cannot read the stack's versions: {result.output[-_TAIL:]}") from exc
    return {str(name): str(version) for name, version in versions.items()}


def _prepare(stage: _Stage, url: str, rows: int) -> dict[str, object]:
    """Migrated by the generated project's migrations, then seeded with the same rows."""
    env = stage.env(DATABASE_URL=url)
    launcher = stage.tools.launcher
    migrated = launcher.run(
        [stage.bin("alembic"), "upgrade", "head"],
        cwd=stage.project,
        env=env,
        timeout=COMMAND_SECONDS,
    )
    if not migrated.ok:
        raise GateError(f"alembic upgrade head failed: {migrated.output[-_TAIL:]}")
    seed = [stage.bin("python"), str(stage.references / SEED_SCRIPT), str(rows)]
    result = launcher.run(seed, cwd=stage.references, env=env, timeout=COMMAND_SECONDS)
    try:
        seeded = json.loads(result.stdout) if result.ok else None
    except json.JSONDecodeError:
        seeded = None
    if not isinstance(seeded, dict):
        raise GateError(f"seeding the load database failed: {result.output[-_TAIL:]}")
    return {**seeded, "rows": rows}


def _boot(stage: _Stage, app: str, url: str, cleanup: ExitStack) -> _Booted:
    tools = stage.tools
    port = tools.free_port()
    env = stage.env(DATABASE_URL=url, JWT_SECRET=stage.secret, HOST="127.0.0.1", PORT=str(port))
    if app == GENERATED:  # as deployed: production settings, default log level and limits
        argv, cwd = [stage.bin("python"), "-m", "app.server"], stage.project
        env["ENVIRONMENT"] = "production"
    else:
        argv, cwd = [stage.bin("python"), str(stage.references / REFERENCES[app])], stage.references
    server = tools.launcher.start(argv, cwd=cwd, env=env)
    cleanup.callback(server.stop)
    base = f"http://127.0.0.1:{port}"
    if not tools.probe.wait_healthy(base, BOOT_SECONDS, server.running):
        output = server.stop().strip()[-_TAIL:]
        raise GateError(f"the {app} server did not answer /health on {base}: {output}")
    return _Booted(app, base, server)


def _account_token(base: str, http: HttpClient) -> str:
    """A new ordinary account on the generated app, logged in: its access token."""
    account = {
        "email": f"bench-{uuid.uuid4().hex[:12]}@example.com",
        "password": secrets.token_urlsafe(18),
    }
    registered = http.send("POST", f"{base}/auth/register", json=account)
    if registered.status != 201:
        raise GateError(f"registering on the generated app answered {registered.status}")
    login = http.send("POST", f"{base}/auth/login", json=account)
    token = login.body.get("access_token") if isinstance(login.body, dict) else None
    if login.status != 200 or not isinstance(token, str):
        raise GateError(f"logging in on the generated app answered {login.status}")
    return token
