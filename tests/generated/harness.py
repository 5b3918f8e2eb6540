"""Running generated projects for real: one shared virtual environment per template lock,
a minimal environment for every command, and the project's own tools inside it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from uv import find_uv_bin

from deeprun.logic.compiler import TEMPLATE_VERSION, pins
from tests.specs import ROOT

VENVS = ROOT / ".cache" / "generated-venvs"
ALL_PINS = tuple(sorted({*pins.runtime_pins(auth=True), *pins.DEV}))


def stack_environment() -> Path:
    """The virtual environment with every pin of the template, built once per lock."""
    key = hashlib.sha256(
        json.dumps([TEMPLATE_VERSION, ALL_PINS, sys.version_info[:2]]).encode()
    ).hexdigest()[:16]
    venv = VENVS / key
    if (venv / "ready").exists():
        return venv
    uv = os.fsdecode(find_uv_bin())
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_SYSTEM_CERTS": "1"}
    subprocess.run(
        [uv, "venv", "--quiet", "--clear", "--python", sys.executable, str(venv)],
        check=True,
        env=env,
    )
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), *ALL_PINS],
        check=True,
        env=env,
    )
    (venv / "ready").write_text("\n".join(ALL_PINS) + "\n")
    return venv


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
