"""Fixtures for the generated-project suite: the stack environment and an embedded PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from deeprun.adapters.databases import EmbeddedServer, PostgresDatabases
from tests.generated.harness import stack_environment


@pytest.fixture(scope="session")
def stack_venv() -> Path:
    return stack_environment()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresDatabases]:
    """The gates' own embedded PostgreSQL, for the suite's servers and seeds."""
    server = EmbeddedServer(tmp_path_factory.mktemp("postgres") / "data")
    try:
        yield PostgresDatabases(server.admin_url())
    finally:
        server.close()


@pytest.fixture(scope="session")
def new_database(databases: PostgresDatabases) -> Callable[[], str]:
    """Creates an empty database and returns its URL (dropped with the server at the end)."""
    return databases.create


FUZZ_REPORTS = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def fuzz_reports(request: pytest.FixtureRequest) -> list[str]:
    """Fuzzing summaries, printed at the end of the run (case counts go into notes)."""
    return request.config.stash.setdefault(FUZZ_REPORTS, [])


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    reports = config.stash.get(FUZZ_REPORTS, [])
    if reports:
        terminalreporter.section("schemathesis")
        for line in reports:
            terminalreporter.write_line(line)
