"""Generated code runs without the host's secrets, inside limits, and never outlives its check."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from deeprun.adapters.sandbox import ProcessSandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> ProcessSandbox:
    return ProcessSandbox(tmp_path / "home", memory_bytes=1024**3)


def test_only_the_allowlist_and_what_the_caller_passes_reach_the_command(
    sandbox: ProcessSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-host-secret")
    monkeypatch.setenv("DEEPRUN_DATABASE_URL", "postgresql://deeprun@/platform")
    result = sandbox.run(
        ["env"], cwd=tmp_path, env={"DATABASE_URL": "postgresql://gate"}, timeout=10
    )
    names = {line.split("=", 1)[0] for line in result.stdout.splitlines()}
    assert result.ok
    assert "OPENAI_API_KEY" not in names
    assert "DEEPRUN_DATABASE_URL" not in names
    assert "sk-host-secret" not in result.stdout
    assert "DATABASE_URL=postgresql://gate" in result.stdout
    assert f"HOME={tmp_path / 'home'}" in result.stdout


def test_a_timeout_kills_the_whole_process_group(sandbox: ProcessSandbox, tmp_path: Path) -> None:
    script = "sleep 60 & echo $! > child.pid; wait"
    started = time.monotonic()
    result = sandbox.run(["sh", "-c", script], cwd=tmp_path, env={}, timeout=1)
    assert result.timed_out
    assert result.exit_code is None
    assert not result.ok
    assert time.monotonic() - started < 10
    child = int((tmp_path / "child.pid").read_text())
    time.sleep(0.2)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for an init that does not reap."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_a_command_that_needs_more_memory_than_allowed_fails(
    sandbox: ProcessSandbox, tmp_path: Path
) -> None:
    result = sandbox.run(
        [sys.executable, "-c", "bytearray(2 * 1024**3)"], cwd=tmp_path, env={}, timeout=30
    )
    assert result.exit_code == 1
    assert "MemoryError" in result.stderr


def test_a_command_within_its_limits_succeeds(sandbox: ProcessSandbox, tmp_path: Path) -> None:
    result = sandbox.run(
        [sys.executable, "-c", "print(len(bytearray(64 * 1024**2)))"],
        cwd=tmp_path,
        env={},
        timeout=30,
    )
    assert result.ok
    assert result.stdout.strip() == str(64 * 1024**2)


def test_a_started_server_is_stopped_with_its_output(
    sandbox: ProcessSandbox, tmp_path: Path
) -> None:
    service = sandbox.start(["sh", "-c", "echo listening; sleep 60 & wait"], cwd=tmp_path, env={})
    time.sleep(0.3)
    assert service.running()
    assert "listening" in service.stop()
    assert not service.running()
