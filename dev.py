#!/usr/bin/env python3
"""Set up and run deeprun on a machine that has only Python 3.11+ and git.

    python3 dev.py deeprun ARGS...   run the deeprun command (installs on first use)
    python3 dev.py test [PYTEST ARGS] run the whole test suite

It finds uv (or installs a pinned uv into .tools/), syncs .venv from the committed lock, and
runs the command inside it. Nothing outside this folder is changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

UV_VERSION = "0.13.8"
ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"


def uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    bindir = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    local = bindir / "uv"
    if not local.exists():
        print(f"dev.py: installing uv {UV_VERSION} into {TOOLS.name}/", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
            pip = [str(bindir / "python"), "-m", "pip"]
        except (OSError, subprocess.CalledProcessError):  # no ensurepip (Debian without venv)
            pip = [sys.executable, "-m", "pip"]
            local = TOOLS / "pkg" / "bin" / "uv"
            subprocess.run(
                [*pip, "install", "--quiet", "--target", str(TOOLS / "pkg"), f"uv=={UV_VERSION}"],
                check=True,
            )
        else:
            subprocess.run(
                [*pip, "install", "--quiet", "--disable-pip-version-check", f"uv=={UV_VERSION}"],
                check=True,
            )
    return str(local)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("deeprun", "test"):
        print(__doc__, file=sys.stderr)
        return 2
    # System certificates, so a registry behind a local CA works; never download a Python.
    env = {"UV_SYSTEM_CERTS": "1", **os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    try:
        tool = uv()
        subprocess.run([tool, "sync", "--locked", "--quiet"], cwd=ROOT, env=env, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"dev.py: setting up the environment failed: {exc}", file=sys.stderr)
        return 1
    command = ["deeprun", *argv[1:]] if argv[0] == "deeprun" else ["pytest", *argv[1:]]
    return subprocess.run(
        [tool, "run", "--locked", "--no-sync", *command], cwd=ROOT, env=env, check=False
    ).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
