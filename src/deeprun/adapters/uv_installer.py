"""One virtual environment per requirement set, made by uv and shared by every check.

The folder is named by a hash of the requirements and the interpreter, so a project with the
same pins reuses it as it is. uv installs from its cache alone (``--offline``) when it holds
everything, which takes a fraction of a second; otherwise it fetches what is missing.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from uv import find_uv_bin

from deeprun.ports.gates import Environment

READY = "deeprun-ready.txt"


class UvInstaller:
    def __init__(self, root: Path, python: str = sys.executable) -> None:
        self.root = root
        self.python = python

    def environment(self, requirements: Sequence[str], *, timeout: float) -> Environment:
        pins = sorted(set(requirements))
        venv = self.root / self._key(pins)
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / f"{venv.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two checks never build the same folder at once
            if (venv / READY).exists():
                return Environment(venv, cached=True, offline=True)
            return self._create(venv, pins, timeout)

    def _key(self, pins: list[str]) -> str:
        version = subprocess.run(  # noqa: S603 - our own interpreter
            [self.python, "-c", "import sys; print(sys.version)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return hashlib.sha256(json.dumps([pins, version]).encode()).hexdigest()[:16]

    def _create(self, venv: Path, pins: list[str], timeout: float) -> Environment:
        uv = os.fsdecode(find_uv_bin())
        create = [uv, "venv", "--quiet", "--clear", "--python", self.python, str(venv)]
        made = self._uv(create, timeout)
        if made.returncode != 0:
            return Environment(None, cached=False, offline=False, output=made.stderr)
        install = [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python")]
        offline = self._uv([*install, "--offline", *pins], timeout)
        result = offline if offline.returncode == 0 else self._uv([*install, *pins], timeout)
        if result.returncode != 0:
            return Environment(None, cached=False, offline=False, output=result.stderr)
        (venv / READY).write_text("\n".join(pins) + "\n")
        return Environment(venv, cached=False, offline=offline.returncode == 0)

    @staticmethod
    def _uv(argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_SYSTEM_CERTS": "1"}
        try:
            return subprocess.run(  # noqa: S603 - argv built here
                argv, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(argv, 1, "", f"timed out after {timeout:.0f} s")
