"""Running generated projects for real: one shared virtual environment per template lock,
a minimal environment for every command, and the project's own tools inside it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deeprun.adapters.cache_dir import cache_root
from deeprun.adapters.http_probe import HttpxProbe
from deeprun.adapters.loopback import free_port
from deeprun.adapters.uv_installer import UvInstaller
from deeprun.logic.compiler import pins
from tests.specs import EXAMPLES, ROOT

ALL_PINS = tuple(sorted({*pins.runtime_pins(auth=True), *pins.DEV}))


def stack_environment() -> Path:
    """The virtual environment with every pin of the template, shared with the gates."""
    environment = UvInstaller(cache_root() / "venvs").environment(ALL_PINS, timeout=900)
    assert environment.venv is not None, environment.output
    return environment.venv


@dataclass(frozen=True)
class Project:
    """A compiled project folder and the environment its commands run in."""

    path: Path
    venv: Path

    def env(self, **extra: str) -> dict[str, str]:
        """Only what the tools need: no host secrets, no deeprun settings."""
        return {
            "PATH": f"{self.venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": os.environ.get("HOME", "/tmp"),
            "LANG": "C.UTF-8",
            "VIRTUAL_ENV": str(self.venv),
            **extra,
        }

    def run(
        self, *command: str, timeout: float = 300, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / command[0]), *command[1:]],
            cwd=self.path,
            env=self.env(**(env or {})),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def check(self, *command: str, timeout: float = 300, env: dict[str, str] | None = None) -> str:
        result = self.run(*command, timeout=timeout, env=env)
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{output[-6000:]}"
        return output


DEEPRUN = (sys.executable, "-m", "deeprun")
SECRET = "generated-suite-" + "s" * 32
ADMIN_EMAIL, ADMIN_PASSWORD = "root@example.com", "a-long-password"
ADMIN = {"FIRST_ADMIN_EMAIL": ADMIN_EMAIL, "FIRST_ADMIN_PASSWORD": ADMIN_PASSWORD}


def compile_example(example: str, output: Path) -> Path:
    """``deeprun compile`` as users run it, in a subprocess; the project folder."""
    result = subprocess.run(
        [*DEEPRUN, "compile", str(EXAMPLES / example), "-o", str(output), "--json"],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["status"] == "success"
    return output


@contextlib.contextmanager
def serving(project: Project, database: str) -> Iterator[str]:
    """Migrated, seeded with the first admin and booted; its base URL once /health answers."""
    project.check("alembic", "upgrade", "head", env={"DATABASE_URL": database})
    project.check("python", "-m", "scripts.seed", env={"DATABASE_URL": database, **ADMIN})
    port = free_port()
    env = project.env(
        DATABASE_URL=database,
        JWT_SECRET=SECRET,
        HOST="127.0.0.1",
        PORT=str(port),
        LOGIN_RATE_LIMIT="1000/minute",
    )
    process = subprocess.Popen(
        [str(project.venv / "bin" / "python"), "-m", "app.server"],
        cwd=project.path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert HttpxProbe().wait_healthy(base, 60, lambda: process.poll() is None)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
