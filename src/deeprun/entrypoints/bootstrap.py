"""The composition root: the one place that picks real adapters. Tests pass fakes instead.

Each factory imports the adapters it builds: a process runs one command, and ``deeprun compile``
should not load the HTTP clients, database drivers, fuzzers and planners of the other commands.
"""

from __future__ import annotations

import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deeprun.adapters.cache_dir import cache_root
from deeprun.contracts.errors import ProviderConfigError
from deeprun.contracts.planning import OFFLINE

if TYPE_CHECKING:
    from deeprun.adapters.podman import Podman
    from deeprun.ports.compiling import Formatter, TreeWriter
    from deeprun.ports.language_model import LanguageModel
    from deeprun.services.architecture import ArchitectureTools
    from deeprun.services.bench_load import LoadTools
    from deeprun.services.bench_perf import PerfKit
    from deeprun.services.bench_reliability import Kit
    from deeprun.services.gate_steps import Tools
    from deeprun.services.planning import PromptToSpecAgent


@dataclass(frozen=True, slots=True)
class Adapters:
    formatter: Formatter
    writer: TreeWriter


def bootstrap(formatter: Formatter | None = None, writer: TreeWriter | None = None) -> Adapters:
    from deeprun.adapters.ruff_formatter import RuffFormatter
    from deeprun.adapters.template_cache import keep_compiled
    from deeprun.adapters.tree_writer import FilesystemTreeWriter
    from deeprun.logic.compiler.render import environment as template_environment

    keep_compiled(template_environment(), cache_root() / "templates")
    return Adapters(formatter or RuffFormatter(), writer or FilesystemTreeWriter())


def language_model(provider: str | None, model: str | None) -> LanguageModel | None:
    """The configured vendor model, or None for the offline planner (the default: nothing
    leaves the machine unless a provider is named)."""
    from deeprun.adapters.providers import open_model

    name = (provider or OFFLINE).strip().lower()
    if name != OFFLINE:
        return open_model(name, model, os.environ)
    if model:
        raise ProviderConfigError(
            f"model {model!r} needs a provider (--provider or DEEPRUN_PROVIDER); "
            "the offline planner takes no model"
        )
    return None


def prompt_agent(provider: str | None, model: str | None) -> PromptToSpecAgent:
    from deeprun.services.planning import Pacing, PromptToSpecAgent

    return PromptToSpecAgent(language_model(provider, model), Pacing(time.sleep, random.random))


def architecture_tools() -> ArchitectureTools:
    from deeprun.adapters.hadolint import Hadolint
    from deeprun.adapters.import_graph import GrimpImportGraph
    from deeprun.adapters.project_files import FilesystemProject
    from deeprun.services.architecture import ArchitectureTools

    return ArchitectureTools(FilesystemProject(), GrimpImportGraph(), Hadolint())


@contextmanager
def gate_tools(workdir: Path, cache: Path | None = None) -> Iterator[Tools]:
    """Everything ``check ready`` uses. The database server is ``DEEPRUN_GATE_DATABASE_URL``
    when set, else deeprun's embedded PostgreSQL, started here and stopped on exit. ``cache``
    replaces deeprun's cache folder for the venvs and the database (``bench perf``'s cold run);
    the container store stays in deeprun's cache: its base image cannot be rebuilt offline."""
    from deeprun.adapters.databases import EmbeddedServer, PostgresDatabases
    from deeprun.adapters.http_probe import HttpxProbe
    from deeprun.adapters.loopback import free_port
    from deeprun.adapters.sandbox import ProcessSandbox
    from deeprun.adapters.schemathesis_fuzzer import SchemathesisFuzzer
    from deeprun.adapters.uv_installer import UvInstaller
    from deeprun.services.gate_steps import Tools

    shared = cache_root()
    cache = cache or shared
    external = os.environ.get("DEEPRUN_GATE_DATABASE_URL")
    server = None if external else EmbeddedServer(cache / "gate-postgres" / "data")
    try:
        admin_url = external or (server.admin_url() if server else "")
        architecture = architecture_tools()
        yield Tools(
            files=architecture.files,
            graph=architecture.graph,
            linter=architecture.linter,
            sandbox=ProcessSandbox(workdir / "home"),
            installer=UvInstaller(cache / "venvs"),
            databases=PostgresDatabases(admin_url),
            probe=HttpxProbe(),
            fuzzer=SchemathesisFuzzer(),
            containers=container_engine(shared),
            free_port=free_port,
            clock=time.monotonic,
        )
    finally:
        if server is not None:
            server.close()


def container_engine(cache: Path | None = None) -> Podman:
    """The engine the container gate builds and runs images with (its store under ``cache``)."""
    from deeprun.adapters.podman import Podman

    return Podman((cache or cache_root()) / "containers")


def container_required() -> bool:
    """DEEPRUN_REQUIRE_CONTAINER=1 (CI): a missing engine is a failure, never a skip."""
    return os.environ.get("DEEPRUN_REQUIRE_CONTAINER") == "1"


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """An empty folder, removed with everything in it on exit."""
    with tempfile.TemporaryDirectory(prefix="deeprun-bench-") as folder:
        yield Path(folder)


def reliability_kit(provider: str | None, model: str | None) -> Kit:
    """What `bench reliability` runs a case with: the planner, the compiler's adapters and,
    per case, the same gate tools as `check ready`."""
    from deeprun.services.bench_reliability import Kit

    adapters = bootstrap()
    return Kit(
        prompt_agent(provider, model),
        adapters.formatter,
        adapters.writer,
        gate_tools,
        scratch_folder,
        time.perf_counter,
    )


@contextmanager
def load_tools(workdir: Path) -> Iterator[LoadTools]:
    """What ``bench perf`` loads servers with: the gates' installer, database server and health
    probe, a sandbox that reports memory, httpx on loopback and wrk."""
    from deeprun.adapters.http_client import LoopbackHttp
    from deeprun.adapters.loopback import free_port
    from deeprun.adapters.sandbox import ProcessSandbox
    from deeprun.adapters.wrk import WrkLoad
    from deeprun.services.bench_load import LoadTools

    with gate_tools(workdir) as tools:
        yield LoadTools(
            launcher=ProcessSandbox(workdir / "home"),
            installer=tools.installer,
            databases=tools.databases,
            probe=tools.probe,
            http=LoopbackHttp(),
            load=WrkLoad(),
            free_port=free_port,
        )


def perf_kit() -> PerfKit:
    from deeprun.adapters.sandbox import ProcessSandbox
    from deeprun.services.bench_perf import PerfKit

    adapters = bootstrap()
    return PerfKit(
        formatter=adapters.formatter,
        writer=adapters.writer,
        launcher=ProcessSandbox,
        deeprun=(sys.executable, "-m", "deeprun"),
        architecture=architecture_tools(),
        gate_tools=gate_tools,
        load_tools=load_tools,
        scratch=scratch_folder,
        clock=time.perf_counter,
        machine={
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "system": f"{platform.system()} {platform.machine()}",
            "load_average": [round(figure, 2) for figure in os.getloadavg()],
        },
    )
