"""The podman engine for real: a compiled example builds offline and answers /health from its
container. Without an engine the tests skip, unless DEEPRUN_REQUIRE_CONTAINER=1 (CI) demands it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from deeprun.adapters.podman import Container, Podman
from tests.specs import EXAMPLES

HEALTH_BUDGET_SECONDS = 30


@pytest.fixture(scope="module")
def engine() -> Podman:
    podman = Podman()
    reason = podman.unavailable()
    if reason is not None:
        if os.environ.get("DEEPRUN_REQUIRE_CONTAINER") == "1":
            pytest.fail(f"DEEPRUN_REQUIRE_CONTAINER=1 but no container engine: {reason}")
        pytest.skip(reason)
    return podman


@pytest.fixture
def tag(engine: Podman) -> Iterator[str]:
    name = f"deeprun-test-{uuid.uuid4().hex[:12]}"
    yield name
    engine.remove_image(name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def first_health(url: str, container: Container) -> float | None:
    """Seconds until /health answered 200; None if the budget ended or the container did."""
    started = time.monotonic()
    while time.monotonic() - started < HEALTH_BUDGET_SECONDS and container.running():
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    return None


def test_a_compiled_example_builds_and_answers_health_from_its_container(
    engine: Podman, tag: str, tmp_path: Path
) -> None:
    project, sockets = tmp_path / "shop", tmp_path / "sockets"
    sockets.mkdir()
    subprocess.run(
        [sys.executable, "-m", "deeprun", "compile", str(EXAMPLES / "shop-1.0.json"),
         "-o", str(project)],
        check=True, capture_output=True,
    )  # fmt: skip
    built = engine.build(project, tag, timeout=600)
    assert built.ok, built.output[-3000:]
    port = free_port()
    env = {
        "DATABASE_URL": f"postgresql://postgres:@/shop?host={sockets}",
        "JWT_SECRET": "s" * 48,
        "PORT": str(port),
    }
    service = engine.start(tag, env=env, port=port, mounts=[sockets])
    assert isinstance(service, Container), service.stop()
    try:
        seconds = first_health(f"http://127.0.0.1:{port}/health", service)
    finally:
        logs = service.stop()
    assert seconds is not None, logs
    assert not service.running()


def test_a_failing_build_is_a_result_not_an_exception(
    engine: Podman, tag: str, tmp_path: Path
) -> None:
    (tmp_path / "requirements.txt").write_text("")
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\nRUN exit 3\n")
    built = engine.build(tmp_path, tag, timeout=120)
    assert not built.ok
    assert built.exit_code not in (0, None)


def test_an_image_that_does_not_exist_starts_nothing(engine: Podman) -> None:
    service = engine.start("deeprun-test-absent-image", env={}, port=free_port(), mounts=[])
    assert not service.running()
    assert "deeprun-test-absent-image" in service.stop()


def test_an_empty_store_is_unavailable_with_a_reason(tmp_path: Path) -> None:
    reason = Podman(root=tmp_path / "store").unavailable()
    assert reason is not None
    assert "base image" in reason or "not installed" in reason
