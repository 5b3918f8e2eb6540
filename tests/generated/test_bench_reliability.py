"""`deeprun bench reliability` through the real command and the real gates: the corpus's CI lane
comes out ready in full, and a case that fails review never stops the one after it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from deeprun.contracts.gates import GATES
from deeprun.logic.reliability import NO_ENGINE
from tests.generated.harness import DEEPRUN
from tests.specs import EXAMPLES, ROOT

CI_LANE = ROOT / "bench" / "corpus" / "ci"
REPORT_KEYS = {
    "pass_rate",
    "passed",
    "failed",
    "runs",
    "iterations",
    "lanes",
    "by_iteration",
    "histogram",
    "cases",
    "durations",
    "versions",
    "container",
    "min_pass_rate",
}
CASE_KEYS = {
    "case",
    "lane",
    "iteration",
    "passed",
    "verdict",
    "stage",
    "blocking",
    "failures",
    "error",
    "container",
    "seconds",
    "total_seconds",
}


def bench(*args: str) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [*DEEPRUN, "bench", "reliability", *args, "--json"],
        capture_output=True,
        cwd=ROOT,
        timeout=3600,
        check=False,
    )
    body: dict[str, Any] = json.loads(result.stdout)
    return result.returncode, body


def failing(body: dict[str, Any]) -> str:
    return json.dumps([c for c in body.get("cases", []) if not c["passed"]], indent=1)[:6000]


def container_statuses() -> set[str]:
    """In CI an engine exists and must run; elsewhere a missing one may be skipped."""
    required = os.environ.get("DEEPRUN_REQUIRE_CONTAINER") == "1"
    return {"passed"} if required else {"passed", NO_ENGINE}


def test_the_ci_lane_of_the_corpus_is_all_ready(stack_venv: Path) -> None:
    """``stack_venv`` first, so the shared environment exists before the gates time out."""
    code, body = bench("--corpus", str(CI_LANE), "--min-pass-rate", "1")
    assert body["pass_rate"] == 1.0, failing(body)
    assert code == 0
    assert body["status"] == "success"
    assert set(body) >= REPORT_KEYS | {"status", "execution_id", "command"}
    assert body["failed"] == 0
    assert body["passed"] == body["runs"] == len(body["cases"]) > 0
    assert body["lanes"]["spec"]["runs"] > 0
    assert body["lanes"]["prompt"]["runs"] > 0
    assert body["histogram"] == {}
    for case in body["cases"]:
        assert set(case) == CASE_KEYS
        assert (case["verdict"], case["blocking"], case["failures"]) == ("YES", [], [])
        assert case["container"] in container_statuses()
        assert {"review", "compile", *GATES[:-1]} <= set(case["seconds"])


def test_an_invalid_spec_fails_at_review_and_the_valid_one_after_it_is_ready(
    stack_venv: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "broken.json").write_text('{"spec_version": "1.0", "project_name": "x"}')
    shutil.copy(EXAMPLES / "todo-noauth-1.0.json", corpus / "todo.json")
    written = tmp_path / "report.json"
    code, body = bench("--corpus", str(corpus), "--min-pass-rate", "0.5", "--output", str(written))
    broken, todo = body["cases"]
    assert todo["passed"], failing(body)
    assert code == 0
    assert (body["pass_rate"], body["passed"], body["failed"]) == (0.5, 1, 1)
    assert (broken["stage"], broken["error"], broken["verdict"]) == (
        "review",
        "ERR_SPEC_INVALID",
        None,
    )
    assert todo["verdict"] == "YES"
    assert todo["container"] in container_statuses()
    assert body["histogram"] == {"review": 1}
    assert json.loads(written.read_text())["cases"] == body["cases"]
