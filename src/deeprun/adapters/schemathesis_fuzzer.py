"""Fuzzing a booted generated backend with Schemathesis: every operation, one check, no 5xx.

Schemathesis runs as its own CLI in a subprocess of deeprun's dev environment (the one pytest
runs in), never from the generated project's venv, with only the ``not_a_server_error`` check.
It is deterministic: Hypothesis derandomized (or seeded with ``seed``, without an example
database), one worker, no shrinking (shrinking made the stateful phase's case count vary from
run to run), and an empty configuration file of our own so no ``schemathesis.toml`` is found.
It is bounded: ``max_examples`` per operation and phase, a per-request timeout and a wall
timeout. It aims at ``http://127.0.0.1:PORT`` only: any other base URL is refused, redirects are
not followed, proxies are cleared from its environment and every recorded request is checked
against the base. Nothing is excluded: the login endpoints answer 429 once their rate limit is
hit, which is not a 5xx and so cannot make a run flaky (boot with a high ``LOGIN_RATE_LIMIT``
to fuzz their logic further). ``--continue-on-failure`` keeps an operation going after its first
5xx, so every distinct one is found and the count does not depend on where the first one fell.

Then the known-bad-inputs pass of ``bad_inputs`` (NUL bytes, 64-bit overflows, naive datetimes:
values a derandomized run never happens to send) runs against the same server, with the same
headers and what is left of the timeout; its cases and 5xx are counted and reported alike.

The NDJSON event stream is the record we read: every case, request and response, so the counts
are exact and each 5xx comes with the request that caused it. It is written as the run goes, so
a run cut short by the timeout still reports what it found.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from deeprun.adapters.bad_inputs import BadInputReport, send_bad_inputs
from deeprun.ports.gates import FuzzReport

LOOPBACK = "127.0.0.1"
REQUEST_TIMEOUT = 30.0
PHASES = "examples,coverage,fuzzing,stateful"
_CLI = "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"
_PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy", "no_proxy"})
_BODY_LIMIT = 400
_TIMED_OUT = "timed out after"


class SchemathesisFuzzer:
    """``seed`` picks other inputs than the derandomized default; ``keep`` is a folder where
    the raw NDJSON event stream and JSON summary are copied for a closer look."""

    def __init__(self, seed: int | None = None, keep: Path | None = None) -> None:
        self.seed = seed
        self.keep = keep

    def fuzz(
        self, base_url: str, headers: Mapping[str, str], *, max_examples: int, timeout: float
    ) -> FuzzReport:
        """Fuzz every operation of the OpenAPI schema at ``base_url``/openapi.json.

        ``base_url`` must be ``http://127.0.0.1:PORT``; ``headers`` (e.g. a bearer token) go on
        every request. The only check is Schemathesis's ``not_a_server_error``.
        """
        base = _loopback_base(base_url)
        if max_examples < 1 or timeout <= 0:
            raise ValueError("max_examples must be at least 1 and timeout positive")
        for name, value in headers.items():
            if not name or ":" in name or any(c in f"{name}{value}" for c in "\r\n"):
                raise ValueError(f"invalid header {name!r}")
        with tempfile.TemporaryDirectory(prefix="deeprun-fuzz-") as tmp:
            work = Path(tmp)
            events, summary = work / "events.ndjson", work / "summary.json"
            started = time.monotonic()
            problems = _run(_command(work, base, headers, max_examples, self.seed), work, timeout)
            bad = send_bad_inputs(
                base, headers, budget=max(timeout - time.monotonic() + started, 0)
            )
            seconds = time.monotonic() - started
            record = _Record(base)
            if events.exists():
                record.read(events)
            elif not problems:
                problems.append("schemathesis wrote no event stream")
            record.add(bad)
            final = _summary(summary)
            if self.keep is not None:
                self.keep.mkdir(parents=True, exist_ok=True)
                for path in (events, summary):
                    if path.exists():
                        shutil.copyfile(path, self.keep / path.name)
        operations = record.operation_count()
        complete = False
        if final is not None:
            problems += _summary_problems(final)
            tested = (final.get("operations") or {}).get("tested")
            operations = tested if isinstance(tested, int) else operations
            complete = final.get("complete") is True and final.get("stop_reason") == "completed"
        return FuzzReport(
            cases=record.cases,
            requests=record.requests,
            operations=operations,
            server_errors=tuple(record.server_error_lines()),
            problems=(*problems, *record.problems, *bad.problems),
            complete=complete
            and bad.complete
            and not any(p.startswith(_TIMED_OUT) for p in problems),
            seconds=seconds,
        )


def _command(
    work: Path, base: str, headers: Mapping[str, str], max_examples: int, seed: int | None
) -> list[str]:
    config = work / "schemathesis.toml"
    config.write_text("")  # pinned and empty: no schemathesis.toml is discovered
    command = [
        sys.executable,
        "-c",
        _CLI,
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{base}/openapi.json",
        "--url",
        base,
        "--checks",
        "not_a_server_error",
        "--phases",
        PHASES,
        "--max-examples",
        str(max_examples),
        *_generation(seed),
        "--continue-on-failure",
        "--no-shrink",
        "--workers",
        "1",
        "--max-redirects",
        "0",
        "--request-timeout",
        str(REQUEST_TIMEOUT),
        "--report",
        "ndjson,json",
        "--report-ndjson-path",
        str(work / "events.ndjson"),
        "--report-json-path",
        str(work / "summary.json"),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    return command


def _run(command: list[str], work: Path, timeout: float) -> list[str]:
    """Runs Schemathesis; the problems it had (finding 5xx is not one: exit code 1)."""
    try:
        result = subprocess.run(  # noqa: S603 - our interpreter, argv built here
            command,
            cwd=work,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [f"{_TIMED_OUT} {timeout:g} s; the counts cover what ran until then"]
    if result.returncode in (0, 1):
        return []
    output = result.stdout + result.stderr
    return [f"schemathesis exited {result.returncode}: {output[-2000:]}"]


def _generation(seed: int | None) -> list[str]:
    """Derandomized Hypothesis by default (it then ignores any seed); a seed picks other inputs."""
    if seed is None:
        return ["--generation-deterministic"]
    return ["--seed", str(seed), "--generation-database", "none"]


def _loopback_base(base_url: str) -> str:
    parts = urlsplit(base_url)
    if (
        parts.scheme != "http"
        or parts.hostname != LOOPBACK
        or parts.port is None
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"fuzzing targets only http://{LOOPBACK}:PORT, not {base_url!r}")
    return f"http://{LOOPBACK}:{parts.port}"


def _environment() -> dict[str, str]:
    """The caller's environment without proxies or Schemathesis/Hypothesis settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in _PROXY_VARIABLES
        and not key.upper().startswith(("SCHEMATHESIS_", "HYPOTHESIS_"))
    }
    env["NO_PROXY"] = env["no_proxy"] = "*"
    return env


def _summary(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None
    return loaded if isinstance(loaded, dict) else None


def _summary_problems(summary: dict[str, Any]) -> list[str]:
    problems = [
        f"schemathesis error: {error.get('title')} (x{error.get('count')})"
        for error in summary.get("errors") or []
    ]
    operations = summary.get("operations") or {}
    if operations.get("errored"):
        problems.append(f"{operations['errored']} operations errored")
    if summary.get("stop_reason") not in ("completed", None):
        problems.append(f"schemathesis stopped: {summary.get('stop_reason')}")
    return problems


@dataclass
class _ServerError:
    method: str
    path: str
    status: int
    count: int
    request: str
    detail: str


class _Record:
    """The facts read from Schemathesis's NDJSON event stream."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cases = 0
        self.requests = 0
        self.labels: set[str] = set()
        self.errors: dict[tuple[str, str, int], _ServerError] = {}
        self.problems: list[str] = []

    def read(self, path: Path) -> None:
        for event in _events(path):
            if "ScenarioFinished" in event:
                self._scenario(event["ScenarioFinished"])
            elif "NonFatalError" in event:
                error = event["NonFatalError"]
                where = f"{error.get('label')} ({error.get('phase')})"
                self._problem(f"error in {where}: {_exception(error.get('value'))}")
            elif "FatalError" in event:
                error = event["FatalError"]
                self.problems.append(f"fatal error: {_exception(error.get('exception'))}")

    def add(self, bad: BadInputReport) -> None:
        """The known-bad-inputs pass: its counts, and its 5xx deduplicated with ours."""
        self.cases += bad.cases
        self.requests += bad.requests
        for error in bad.server_errors:
            self._server_error(
                error.method, error.path, error.status, error.request, error.response
            )

    def operation_count(self) -> int:
        return len(self.labels)

    def _problem(self, line: str) -> None:
        if line not in self.problems:
            self.problems.append(line)

    def _scenario(self, scenario: dict[str, Any]) -> None:
        recorder: dict[str, Any] = scenario.get("recorder") or {}
        cases: dict[str, Any] = recorder.get("cases") or {}
        interactions: dict[str, Any] = recorder.get("interactions") or {}
        self.cases += len(cases)
        if cases and scenario.get("phase") != "stateful":  # a stateful scenario spans several
            self.labels.add(str(recorder.get("label")))
        for case_id, interaction in interactions.items():
            self.requests += 1
            request: dict[str, Any] = interaction.get("request") or {}
            uri = str(request.get("uri", ""))
            if not (uri == self.base or uri.startswith(f"{self.base}/")):
                self._problem(f"a request left {self.base}: {uri}")
            response: dict[str, Any] | None = interaction.get("response")
            if response is None:
                continue
            status = int(response.get("status_code", 0))
            if status >= 500:
                value = (cases.get(case_id) or {}).get("value") or {}
                method = str(value.get("method") or request.get("method"))
                self._server_error(method, str(value.get("path") or uri), status, request, response)

    def _server_error(
        self,
        method: str,
        path: str,
        status: int,
        request: dict[str, Any],
        response: dict[str, Any],
    ) -> None:
        curl = _curl(request)
        body = _text(response.get("content"))
        request_ids = (response.get("headers") or {}).get("x-request-id") or []
        detail = f"response {body[:_BODY_LIMIT]!r}"
        if request_ids:
            detail += f", x-request-id {request_ids[0]}"
        key = (method, path, status)
        known = self.errors.get(key)
        if known is None:
            self.errors[key] = _ServerError(method, path, status, 1, curl, detail)
            return
        known.count += 1
        if len(curl) < len(known.request):  # keep the shortest reproduction
            known.request, known.detail = curl, detail

    def server_error_lines(self) -> list[str]:
        return [
            f"{e.method} {e.path} -> {e.status} ({e.count}x); smallest request: {e.request}; "
            f"{e.detail}"
            for e in sorted(self.errors.values(), key=lambda e: (e.path, e.method, e.status))
        ]


def _events(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:  # the last line of a run cut short by the timeout
                continue
            if isinstance(event, dict):
                yield event


def _text(content: Any) -> str:
    if isinstance(content, dict) and "$base64" in content:
        return base64.b64decode(content["$base64"]).decode("utf-8", "replace")
    return "" if content is None else str(content)


def _curl(request: dict[str, Any]) -> str:
    """A shell command that sends the request again (credentials show as [Filtered])."""
    parts = ["curl", "-X", str(request.get("method", "GET")), str(request.get("uri", ""))]
    headers: dict[str, Any] = request.get("headers") or {}
    for name, values in headers.items():
        for value in values if isinstance(values, list) else [values]:
            parts += ["-H", f"{name}: {value}"]
    if request.get("body") is not None:
        parts += ["--data-raw", _text(request["body"])]
    return shlex.join(parts)


def _exception(value: Any) -> str:
    if isinstance(value, dict):
        return f"{value.get('type')}: {value.get('message')}"[:1000]
    return str(value)[:1000]
