"""The composition root: the one place that picks real adapters. Tests pass fakes instead."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from deeprun.adapters.cache_dir import cache_root
from deeprun.adapters.databases import EmbeddedServer, PostgresDatabases
from deeprun.adapters.hadolint import Hadolint
from deeprun.adapters.http_probe import HttpxProbe
from deeprun.adapters.import_graph import GrimpImportGraph
from deeprun.adapters.loopback import free_port
from deeprun.adapters.podman import Podman
from deeprun.adapters.project_files import FilesystemProject
from deeprun.adapters.providers import open_model
from deeprun.adapters.ruff_formatter import RuffFormatter
from deeprun.adapters.sandbox import ProcessSandbox
from deeprun.adapters.schemathesis_fuzzer import SchemathesisFuzzer
from deeprun.adapters.tree_writer import FilesystemTreeWriter
from deeprun.adapters.uv_installer import UvInstaller
from deeprun.contracts.errors import ProviderConfigError
from deeprun.contracts.planning import OFFLINE
from deeprun.ports.compiling import Formatter, TreeWriter
from deeprun.ports.language_model import LanguageModel
from deeprun.services.architecture import ArchitectureTools
from deeprun.services.gate_steps import Tools
from deeprun.services.planning import Pacing, PromptToSpecAgent


@dataclass(frozen=True, slots=True)
class Adapters:
    formatter: Formatter
    writer: TreeWriter


def bootstrap(formatter: Formatter | None = None, writer: TreeWriter | None = None) -> Adapters:
    return Adapters(formatter or RuffFormatter(), writer or FilesystemTreeWriter())


def language_model(provider: str | None, model: str | None) -> LanguageModel | None:
    """The configured vendor model, or None for the offline planner (the default: nothing
    leaves the machine unless a provider is named)."""
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
    return PromptToSpecAgent(language_model(provider, model), Pacing(time.sleep, random.random))


def architecture_tools() -> ArchitectureTools:
    return ArchitectureTools(FilesystemProject(), GrimpImportGraph(), Hadolint())


@contextmanager
def gate_tools(workdir: Path) -> Iterator[Tools]:
    """Everything ``check ready`` uses. The database server is ``DEEPRUN_GATE_DATABASE_URL``
    when set, else deeprun's embedded PostgreSQL, started here and stopped on exit."""
    cache = cache_root()
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
            containers=Podman(cache / "containers"),
            free_port=free_port,
            clock=time.monotonic,
        )
    finally:
        if server is not None:
            server.close()
