"""Builds and runs generated images with podman, offline, from a private store.

podman's defaults fail on these machines (default ulimits above the VM's hard limits, crun and
hybrid cgroups, no systemd), and no image registry is reachable, so the engine gets its own
containers.conf and storage under a cache folder. `.ci/base-image` imports the stand-in base
image into that same store, reading the settings from ``python -m deeprun.adapters.podman env``
(this module therefore imports nothing outside the standard library and our contracts).

Builds run with ``--network none``: the wheels the Dockerfile installs come from a wheelhouse
prepared on the host (cached by the sha256 of requirements.txt) and mounted at /wheels.
Containers run as deployed: in their own network, the app on 0.0.0.0:8000, only published on
127.0.0.1 (CNI and iptables come with Debian's podman). They reach the host's database through a
mounted socket directory: a Unix socket is a file, which no network namespace hides.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from deeprun.adapters.cache_dir import cache_root
from deeprun.ports.gates import CommandResult

BASE_IMAGE = "docker.io/library/python:3.11-slim"
CONTAINER_PORT = 8000
QUICK_TIMEOUT = 60  # info, run, inspect, logs, rm
GLIBC_MINOR = 36  # Debian bookworm's, the base image's: wheels for it and every older glibc
WHEEL_PLATFORMS = (  # pip expands only the legacy manylinux2014 tag to older ones, so list all
    *(f"manylinux_2_{minor}_x86_64" for minor in range(GLIBC_MINOR, 16, -1)),
    "manylinux2014_x86_64",
)


SYSTEM_BINARIES = ("/usr/local/sbin", "/usr/sbin", "/sbin")


def run(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float
) -> CommandResult:
    """Runs a command to its end; a missing program or a timeout is a result, never raised."""
    started = time.monotonic()
    try:
        done = subprocess.run(  # noqa: S603 - fixed tools, arguments from our own code
            argv, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the child by its id
        return CommandResult(
            tuple(argv), None, _text(exc.stdout), _text(exc.stderr), timeout, timed_out=True
        )
    except OSError as exc:
        return CommandResult(tuple(argv), 127, "", str(exc), time.monotonic() - started)
    return CommandResult(
        tuple(argv), done.returncode, done.stdout, done.stderr, time.monotonic() - started
    )


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


class Podman:
    """A `ContainerEngine` over the podman command line and a private store under ``root``."""

    def __init__(self, root: Path | None = None) -> None:
        self._root = root or cache_root() / "containers"

    def environment(self) -> dict[str, str]:
        """The variables that point podman at deeprun's config and store (written if missing)."""
        config, storage = self._root / "containers.conf", self._root / "storage.conf"
        for path, text in ((config, self._containers_conf()), (storage, self._storage_conf())):
            if not path.is_file() or path.read_text() != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
                partial.write_text(text)
                partial.replace(path)  # a podman started meanwhile never reads half a file
        (self._root / "tmp").mkdir(exist_ok=True)
        return {"CONTAINERS_CONF": str(config), "CONTAINERS_STORAGE_CONF": str(storage)}

    def unavailable(self) -> str | None:
        for tool in ("podman", "runc"):
            if shutil.which(tool) is None:
                return f"{tool} is not installed (run .ci/base-image, which installs it)"
        info = self.podman("info", timeout=QUICK_TIMEOUT)
        if not info.ok:
            return f"`podman info` failed: {_tail(info)}"
        if not self.podman("image", "exists", BASE_IMAGE, timeout=QUICK_TIMEOUT).ok:
            return (
                f"the base image {BASE_IMAGE} is not in deeprun's store at {self._root} and no "
                "registry is reachable (run .ci/base-image to build the local stand-in)"
            )
        return None

    def build(self, context: Path, tag: str, *, timeout: float) -> CommandResult:
        deadline = time.monotonic() + timeout
        wheels = Wheelhouse(self._root).prepare(context / "requirements.txt", timeout=timeout)
        if isinstance(wheels, CommandResult):
            return wheels
        return self.podman(
            "build",
            "--pull=never",
            "--format=docker",
            "--network=none",
            f"--volume={wheels}:/wheels:ro",
            "--build-arg=PIP_NO_INDEX=1",
            "--build-arg=PIP_FIND_LINKS=/wheels",
            f"--tag={tag}",
            str(context),
            timeout=max(deadline - time.monotonic(), 1.0),
        )

    def start(
        self, tag: str, *, env: Mapping[str, str], port: int, mounts: Sequence[Path]
    ) -> Container | NotStarted:
        settings = {**env, "PORT": str(CONTAINER_PORT)}  # the port the image serves and EXPOSEs
        name = f"deeprun-{uuid.uuid4().hex[:12]}"
        volumes = [f"--volume={path}:{path}" for path in mounts]
        names = [f"--env={key}" for key in sorted(settings)]  # values stay out of argv
        started = self.podman(
            "run", "--detach", "--no-healthcheck", f"--name={name}",
            f"--publish=127.0.0.1:{port}:{CONTAINER_PORT}",
            *volumes, *names, tag,
            timeout=QUICK_TIMEOUT,
            extra_env=settings,
        )  # fmt: skip
        if not started.ok:
            self.podman("rm", "--force", "--time=0", name, timeout=QUICK_TIMEOUT)
            return NotStarted(started.output)
        return Container(self, started.stdout.strip())

    def remove_image(self, tag: str) -> None:
        """Only the tagged image: its parent layers stay as the next build's cache (pip install
        of the same requirements), and without --force no other build's container goes."""
        self.podman("rmi", "--no-prune", tag, timeout=QUICK_TIMEOUT)

    def podman(
        self, *args: str, timeout: float, extra_env: Mapping[str, str] | None = None
    ) -> CommandResult:
        """podman against deeprun's store; ``extra_env`` carries values that `--env=NAME` reads."""
        env = {**os.environ, **self.environment(), **(extra_env or {})}
        # Its network plugins call iptables, which lives in sbin: not on every caller's PATH.
        env["PATH"] = os.pathsep.join([env.get("PATH", os.defpath), *SYSTEM_BINARIES])
        return run(["podman", *args], env=env, timeout=timeout)

    def _containers_conf(self) -> str:
        return (
            "[containers]\n"
            "default_ulimits = []\n"
            "\n[engine]\n"
            'runtime = "runc"\n'
            'cgroup_manager = "cgroupfs"\n'
            'events_logger = "file"\n'
            f"tmp_dir = {_toml(self._root / 'tmp')}\n"
        )

    def _storage_conf(self) -> str:
        return (
            "[storage]\n"
            'driver = "overlay"\n'
            f"graphroot = {_toml(self._root / 'storage')}\n"
            f"runroot = {_toml(self._root / 'run')}\n"
        )


@dataclass(frozen=True, slots=True)
class Container:
    """A started container, known by its id."""

    engine: Podman
    id: str

    def running(self) -> bool:
        state = self.engine.podman(
            "inspect", "--format={{.State.Running}}", self.id, timeout=QUICK_TIMEOUT
        )
        return state.ok and state.stdout.strip() == "true"

    def stop(self) -> str:
        """Its logs, then the container removed at once (no grace period: it is a check)."""
        logs = self.engine.podman("logs", self.id, timeout=QUICK_TIMEOUT)
        self.engine.podman("rm", "--force", "--time=0", self.id, timeout=QUICK_TIMEOUT)
        return logs.output


@dataclass(frozen=True, slots=True)
class NotStarted:
    """What `podman run` said when it could not start the container."""

    output: str

    def running(self) -> bool:
        return False

    def stop(self) -> str:
        return self.output


class Wheelhouse:
    """Wheels for CPython 3.11 on manylinux x86_64, one folder per requirements.txt content
    (and platform list)."""

    def __init__(self, root: Path) -> None:
        self._wheels, self._pip_venv = root / "wheels", root / "pip"

    def prepare(self, requirements: Path, *, timeout: float) -> Path | CommandResult:
        """The folder of wheels, downloaded once; the failed command when it could not be."""
        try:
            pins = requirements.read_bytes()
        except OSError as exc:
            return CommandResult(("read", str(requirements)), 1, "", str(exc), 0.0)
        digest = hashlib.sha256(pins + " ".join(WHEEL_PLATFORMS).encode()).hexdigest()
        folder = self._wheels / digest
        if folder.is_dir():
            return folder
        pip = self._pip(timeout)
        if isinstance(pip, CommandResult):
            return pip
        partial = self._wheels / f".{digest}.{uuid.uuid4().hex}"
        partial.mkdir(parents=True)  # pip makes no folder for an empty requirements.txt
        platforms = [f"--platform={platform}" for platform in WHEEL_PLATFORMS]
        download = run(
            [*pip, "download", "--quiet", "--disable-pip-version-check", "--only-binary=:all:",
             *platforms, "--python-version=3.11", "--implementation=cp", "--abi=cp311",
             f"--dest={partial}", f"--requirement={requirements}"],
            timeout=timeout,
        )  # fmt: skip
        if not download.ok:
            shutil.rmtree(partial, ignore_errors=True)
            return download
        try:  # complete folders only: an interrupted download is never used
            partial.rename(folder)
        except OSError:  # another build renamed its own copy first
            shutil.rmtree(partial, ignore_errors=True)
        return folder

    def _pip(self, timeout: float) -> list[str] | CommandResult:
        """pip of this interpreter, else of a private venv that uv seeds (uv venvs lack pip)."""
        own = [sys.executable, "-m", "pip"]
        if run([*own, "--version"], timeout=QUICK_TIMEOUT).ok:
            return own
        python = self._pip_venv / "bin" / "python"
        if not python.exists():
            beside = Path(sys.executable).parent / "uv"
            uv = shutil.which("uv") or (str(beside) if beside.exists() else "uv")
            venv = [uv, "venv", "--quiet", "--seed", f"--python={sys.executable}"]
            seeded = run([*venv, str(self._pip_venv)], timeout=timeout)
            if not seeded.ok:
                return seeded
        return [str(python), "-m", "pip"]


def _toml(path: Path) -> str:
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _tail(result: CommandResult, lines: int = 5) -> str:
    return " | ".join(result.output.strip().splitlines()[-lines:]) or f"exit {result.exit_code}"


def main(argv: Sequence[str]) -> int:
    """``env``: shell lines that point podman at deeprun's config and store (for .ci/base-image)."""
    if list(argv) != ["env"]:
        sys.stderr.write("usage: python -m deeprun.adapters.podman env\n")
        return 2
    variables = {**Podman().environment(), "BASE_IMAGE": BASE_IMAGE}
    sys.stdout.write("".join(f"export {k}={shlex.quote(v)}\n" for k, v in variables.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
