"""Runs generated code as a subprocess that cannot see the host's secrets or outlive its check.

Each command gets its own process group (killed whole on timeout or stop), an environment made
only of an allowlist plus what the caller passes (never ``os.environ``: no API keys, no
deeprun database URL), a private HOME and TMPDIR, and an address-space limit.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from deeprun.ports.bench import Memory
from deeprun.ports.gates import CommandResult

BASE_PATH = "/usr/local/bin:/usr/bin:/bin"
DEFAULT_MEMORY = 4 * 1024**3


class ProcessSandbox:
    def __init__(self, home: Path, memory_bytes: int = DEFAULT_MEMORY) -> None:
        self.home = home
        self.memory_bytes = memory_bytes

    def environment(self, extra: Mapping[str, str]) -> dict[str, str]:
        (self.home / "tmp").mkdir(parents=True, exist_ok=True)
        return {
            "PATH": BASE_PATH,
            "HOME": str(self.home),
            "TMPDIR": str(self.home / "tmp"),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            **extra,
        }

    def run(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> CommandResult:
        started = time.monotonic()
        process = self._popen(argv, cwd, env, subprocess.PIPE, subprocess.PIPE)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            stdout, stderr = process.communicate()
            return CommandResult(
                tuple(argv), None, stdout, stderr, time.monotonic() - started, timed_out=True
            )
        _kill_group(process.pid)  # anything the command left running in its group
        return CommandResult(
            tuple(argv), process.returncode, stdout, stderr, time.monotonic() - started
        )

    def start(self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str]) -> SandboxedService:
        log = tempfile.TemporaryFile(dir=self.environment({})["TMPDIR"])  # noqa: SIM115
        process = self._popen(argv, cwd, env, log, subprocess.STDOUT)
        return SandboxedService(process, log)

    def _popen(
        self,
        argv: Sequence[str],
        cwd: Path,
        env: Mapping[str, str],
        stdout: int | IO[bytes],
        stderr: int | IO[bytes],
    ) -> subprocess.Popen[str]:
        process = subprocess.Popen(  # noqa: S603 - argv is built by the gates, never by a shell
            list(argv),
            cwd=cwd,
            env=self.environment(env),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        # Set from outside (not in a preexec_fn, which is unsafe when gates run in threads);
        # the child's own children inherit it.
        limit = (self.memory_bytes, self.memory_bytes)
        with contextlib.suppress(ProcessLookupError):
            resource.prlimit(process.pid, resource.RLIMIT_AS, limit)
        return process


class SandboxedService:
    """A server started in the sandbox; ``stop`` ends its whole process group."""

    def __init__(self, process: subprocess.Popen[str], log: IO[bytes]) -> None:
        self._process = process
        self._log = log
        self._output: str | None = None

    def running(self) -> bool:
        return self._process.poll() is None

    def memory(self) -> Memory | None:
        """Resident memory of the started process (not its children) now and at its peak."""
        if not self.running():
            return None
        try:
            status = Path(f"/proc/{self._process.pid}/status").read_text()
        except OSError:
            return None
        fields = (line.partition(":") for line in status.splitlines())
        sizes = {
            name: int(value.split()[0]) for name, _, value in fields if name in {"VmRSS", "VmHWM"}
        }
        if len(sizes) != 2:
            return None
        return Memory(rss_kib=sizes["VmRSS"], peak_kib=sizes["VmHWM"])

    def cpu_seconds(self) -> float | None:
        """User and system time of the started process (not its children) so far."""
        if not self.running():
            return None
        try:
            stat = Path(f"/proc/{self._process.pid}/stat").read_text()
        except OSError:
            return None
        fields = stat.rpartition(")")[2].split()  # the name, in parentheses, may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> str:
        """Idempotent: a second call returns what the first one read."""
        if self._output is None:
            if self._process.poll() is None:
                os.killpg(self._process.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._process.wait(timeout=10)
            _kill_group(self._process.pid)
            self._process.wait()
            self._log.seek(0)
            self._output = self._log.read().decode(errors="replace")
            self._log.close()
        return self._output


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
