"""The ``LoadGenerator`` port over wrk (Debian package ``wrk``), on loopback only.

A small Lua script gives wrk the request (method and body; headers go through ``-H``) and, when
the run ends, prints one line of figures as JSON, so nothing depends on the layout of wrk's own
report. Each run is bounded by its duration, its connection count and a process timeout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from deeprun.adapters.http_probe import loopback
from deeprun.contracts.errors import GateError
from deeprun.ports.bench import LoadFigures, LoadShape, Shot

PACKAGE = "wrk"
MARKER = "DEEPRUN-WRK "
GRACE_SECONDS = 30  # beyond the run's own duration, before the process is killed
_TAIL = 600
_FIELDS = ("requests", "duration_us", "p50_us", "p90_us", "p99_us", "max_us")
_ERRORS = ("connect", "read", "write", "timeout")

SCRIPT = """\
-- deeprun bench perf: one request shape per run, one JSON line of figures at the end.
-- wrk formats the request once after init: a static request, no Lua per request.
function init(args)
  wrk.method = args[1]
  if args[2] ~= nil and args[2] ~= "" then wrk.body = args[2] end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "status": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\\n',
    "MARKER", summary.requests, summary.duration, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
""".replace("MARKER", MARKER)


class WrkLoad:
    def __init__(self, executable: str | None = None) -> None:
        self._executable = executable

    def version(self) -> str:
        """``wrk debian/4.1.0-3+b2``; wrk prints it and exits 1 by design."""
        result = subprocess.run(  # noqa: S603 - the located wrk binary, a fixed flag
            [self._wrk(), "-v"], capture_output=True, text=True, timeout=10, check=False
        )
        first = (result.stdout or result.stderr).strip().splitlines()
        words = first[0].split() if first else []
        return " ".join(words[:2]) if words else PACKAGE

    def drive(self, shot: Shot, shape: LoadShape) -> LoadFigures:
        loopback(shot.url)
        threads = max(1, min(shape.threads, shape.connections))
        headers = [f"--header={name}: {value}" for name, value in shot.headers.items()]
        with tempfile.TemporaryDirectory(prefix="deeprun-wrk-") as folder:
            script = Path(folder) / "shot.lua"
            script.write_text(SCRIPT)
            argv = [
                self._wrk(),
                "--threads", str(threads),
                "--connections", str(shape.connections),
                "--duration", f"{shape.seconds}s",
                "--timeout", f"{shape.timeout:g}s",
                "--script", str(script),
                *headers,
                shot.url,
                "--",
                shot.method,
                shot.body or "",
            ]  # fmt: skip
            try:
                result = subprocess.run(  # noqa: S603 - argv built here, no shell
                    argv,
                    capture_output=True,
                    text=True,
                    timeout=shape.seconds + GRACE_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise GateError(f"wrk did not finish within {shape.seconds} s + grace") from exc
        try:
            return parse_wrk(result.stdout)
        except ValueError as exc:
            output = (result.stdout + result.stderr).strip()[-_TAIL:]
            raise GateError(f"wrk gave no figures ({exc}): {output}") from exc

    def _wrk(self) -> str:
        found = self._executable or shutil.which(PACKAGE)
        if found is None:
            raise GateError(
                "wrk is not installed: the load runs need it (Debian/Ubuntu: "
                "apt-get install wrk, package 'wrk')"
            )
        return found


def parse_wrk(output: str) -> LoadFigures:
    """The figures from the script's line in wrk's output; ValueError when there is none."""
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise ValueError("no figures line in the output")
    try:
        raw = json.loads(lines[-1].removeprefix(MARKER))
    except json.JSONDecodeError as exc:
        raise ValueError(f"the figures line is not JSON: {exc.msg}") from exc
    if not isinstance(raw, dict) or any(
        not isinstance(raw.get(key), int) for key in (*_FIELDS, "status", *_ERRORS)
    ):
        raise ValueError("the figures line lacks a count")
    return LoadFigures(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        non_2xx=raw["status"],
        socket_errors=sum(raw[key] for key in _ERRORS),
    )
