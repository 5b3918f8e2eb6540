"""``deeprun bench perf`` as people run it: a real subprocess, a real PostgreSQL, real servers
and wrk, with a load of one second per route so the whole run stays under a minute."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.specs import ROOT

APPS = {"generated", "fastapi", "starlette"}
ROUTES = {"get_by_id", "list_filtered", "create"}


def bench_perf(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "deeprun", "bench", "perf", *args, "--json"],
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        cwd=ROOT,
        timeout=180,
        check=False,
    )
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr[-3000:]
    body: dict[str, Any] = json.loads(lines[0])
    assert (result.returncode == 0) == (body["status"] == "success")
    return body


@pytest.fixture(scope="module")
def wrk_installed() -> None:
    if shutil.which("wrk") is None:
        if os.environ.get("DEEPRUN_REQUIRE_WRK") == "1":
            pytest.fail("DEEPRUN_REQUIRE_WRK=1 but wrk is not installed")
        pytest.skip("wrk is not installed (apt-get install wrk)")


@pytest.mark.usefixtures("wrk_installed")
def test_a_short_load_run_measures_every_app_on_every_route() -> None:
    body = bench_perf(
        "--only", "load", "--duration", "1", "--warmup", "0", "--connections", "2", "--rows", "200"
    )
    assert body["status"] == "success", body
    assert body["compile"] is None
    assert body["gates"] is None
    assert body["machine"]["cores"] == os.cpu_count()
    load = body["load"]
    assert load["generator"].startswith("wrk ")
    assert load["settings"]["connections"] == 2
    assert load["seeded"]["matching"] == 20
    assert {"fastapi", "starlette", "uvicorn", "asyncpg"} <= set(load["stack"])
    assert set(load["apps"]) == APPS
    for app, figures in load["apps"].items():
        assert set(figures["routes"]) == ROUTES, app
        for route, run in figures["routes"].items():
            assert run["clean"], (app, route, run)
            assert run["requests_per_second"] > 0
            assert run["p99_ms"] >= run["p50_ms"] > 0
            assert run["server_cpu_ms_per_request"] > 0
        assert figures["memory_kib"] > 10_000
    assert set(load["ratios"]) == ROUTES
    assert all(set(shares) == {"fastapi", "starlette"} for shares in load["ratios"].values())
    assert load["unclean"] == []


def test_an_unknown_part_is_a_usage_error() -> None:
    body = bench_perf("--only", "speed")
    assert body["error"]["code"] == "ERR_INPUTS"
    assert "compile, gates, load" in body["error"]["message"]


def test_without_wrk_the_load_fails_naming_the_package(tmp_path: Path) -> None:
    body = bench_perf("--only", "load", env={"PATH": str(tmp_path)})
    assert body["error"]["code"] == "ERR_GATE"
    assert "apt-get install wrk" in body["error"]["message"]
