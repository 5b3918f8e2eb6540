"""Running generated projects for real: one shared virtual environment per template lock,
a minimal environment for every command, and the project's own tools inside it."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from deeprun.adapters.uv_installer import UvInstaller
from deeprun.entrypoints.bootstrap import cache_root
from deeprun.logic.compiler import pins

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
