"""The reliability bench's pure half: the pass decision per case, and the report over runs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from deeprun.contracts.errors import InputError, SpecGenerationError, SpecInvalidError
from deeprun.contracts.gates import GATES, Failure, GateResult, GateStatus, Severity
from deeprun.contracts.planning import Attempt
from deeprun.contracts.problems import Problem, ProblemCode
from deeprun.logic.reliability import (
    NO_ENGINE,
    CaseRun,
    Reliability,
    Timed,
    durations,
    failures_of,
    gates_ran,
    histogram,
    skippable,
    stage_failed,
    tally,
)

NO_SKIPS: frozenset[str] = frozenset()
CONTAINER = frozenset({"container"})
VERSIONS = {"generator": "0.1.0", "template": "t/1", "provider": "offline", "model": "h"}


def timed(case: str = "shop.json", lane: str = "spec", iteration: int = 1) -> Timed:
    return Timed(case, lane, iteration, {"review": 0.01, "compile": 0.2}, 30.0)


def gates(**statuses: GateStatus | GateResult) -> tuple[GateResult, ...]:
    """Every gate passed in two seconds, except those named."""
    found: list[GateResult] = []
    for gate in GATES:
        given = statuses.get(gate, GateStatus.PASSED)
        found.append(given if isinstance(given, GateResult) else GateResult(gate, given, 2.0))
    return tuple(found)


def skipped_container(reason: str = "no container engine: podman is not installed") -> GateResult:
    return GateResult("container", GateStatus.SKIPPED, 0.0, reason=reason)


@pytest.mark.parametrize(
    ("engine_missing", "required", "allowed"),
    [(True, False, CONTAINER), (True, True, NO_SKIPS), (False, False, NO_SKIPS)],
)
def test_only_a_missing_engine_outside_ci_lets_the_container_gate_skip(
    engine_missing: bool, required: bool, allowed: frozenset[str]
) -> None:
    assert skippable(engine_missing, required) == allowed


def test_a_case_whose_every_gate_passed_passes() -> None:
    run = gates_ran(timed(), gates(), NO_SKIPS)
    assert run.passed
    assert (run.verdict, run.stage, run.container, run.failures) == ("YES", None, "passed", ())
    assert run.seconds == {"review": 0.01, "compile": 0.2, **dict.fromkeys(GATES, 2.0)}


def test_a_container_skip_without_an_engine_passes_and_says_so() -> None:
    run = gates_ran(timed(), gates(container=skipped_container()), skippable(True, False))
    assert run.passed
    assert run.verdict == "YES"
    assert run.container == NO_ENGINE == "skipped (no engine)"


def test_under_require_container_the_same_skip_fails_the_case() -> None:
    run = gates_ran(timed(), gates(container=skipped_container()), skippable(True, True))
    assert not run.passed
    assert (run.verdict, run.blocking, run.container) == ("NO", ("container",), "skipped")
    assert run.failures == (Failure("container", "no container engine: podman is not installed"),)


def test_a_container_skip_where_an_engine_exists_fails_the_case() -> None:
    run = gates_ran(timed(), gates(container=skipped_container()), skippable(False, False))
    assert run.blocking == ("container",)


def test_any_other_skipped_gate_fails_the_case_even_without_an_engine() -> None:
    fuzz = GateResult("fuzz", GateStatus.SKIPPED, 0.0, reason="no fuzzer here")
    run = gates_ran(timed(), gates(fuzz=fuzz, container=skipped_container()), CONTAINER)
    assert not run.passed
    assert run.blocking == ("fuzz",)
    assert run.container == NO_ENGINE
    assert run.failures == (Failure("fuzz", "no fuzzer here"),)


def test_a_failed_gate_shows_its_first_three_errors_and_not_its_warnings() -> None:
    found = (
        Failure("mypy", "a warning", "app/a.py", 1, Severity.WARNING),
        *(Failure("mypy", f"error {n}", "app/a.py", n, tool_code="arg-type") for n in range(5)),
    )
    mypy = GateResult("mypy", GateStatus.FAILED, 1.5, found)
    tests = GateResult("tests", GateStatus.FAILED, 9.0, reason="pytest failed")
    run = gates_ran(timed(), gates(mypy=mypy, tests=tests), NO_SKIPS)
    assert run.blocking == ("mypy", "tests")
    assert run.stage == "mypy"
    assert [f.message for f in run.failures] == ["error 0", "error 1", "error 2"]
    assert run.to_dict()["failures"][1] == {  # type: ignore[index]
        "code": "mypy",
        "tool_code": "arg-type",
        "message": "error 1",
        "file": "app/a.py",
        "line": 1,
    }


def test_gates_left_out_behind_a_failure_are_neither_blocking_nor_timed() -> None:
    failed = GateResult("install", GateStatus.FAILED, 3.0, (Failure("install", "no pin"),))
    later = dict.fromkeys(GATES[2:], GateStatus.NOT_RUN)
    run = gates_ran(timed(), gates(install=failed, **later), NO_SKIPS)
    assert run.blocking == ("install",)
    assert set(run.seconds) == {"review", "compile", "architecture", "install"}
    assert run.container == "not_run"


def test_a_gate_not_run_with_nothing_failed_blocks() -> None:
    fuzz = GateResult("fuzz", GateStatus.NOT_RUN, 0.0, reason="the app did not boot")
    assert gates_ran(timed(), gates(fuzz=fuzz), NO_SKIPS).blocking == ("fuzz",)


def test_a_review_failure_is_recorded_with_its_pointers() -> None:
    problems = tuple(
        Problem(ProblemCode.SCHEMA, f"/entities/{n}", "'name' is required") for n in range(4)
    )
    failures = failures_of(SpecInvalidError(problems), "broken.json")
    run = stage_failed(timed("broken.json"), "review", "ERR_SPEC_INVALID", failures)
    assert not run.passed
    assert (run.stage, run.error, run.verdict, run.container) == (
        "review",
        "ERR_SPEC_INVALID",
        None,
        None,
    )
    assert [(f.code, f.message, f.file) for f in run.failures] == [
        ("SPEC_SCHEMA", f"/entities/{n}: 'name' is required", "broken.json") for n in range(3)
    ]


def test_a_plan_failure_is_recorded_with_the_planners_word_first() -> None:
    last = Attempt(2, (Problem(ProblemCode.SCHEMA, "", "not JSON"),))
    error = SpecGenerationError("no valid spec in 2 answers", (Attempt(1, ()), last))
    failures = failures_of(error)
    assert [(f.code, f.message) for f in failures] == [
        ("ERR_SPEC_GENERATION", "no valid spec in 2 answers"),
        ("SPEC_SCHEMA", "/: not JSON"),
    ]
    run = stage_failed(timed("vague.txt", "prompt"), "plan", error.code.value, failures)
    assert (run.lane, run.blocking) == ("prompt", ("plan",))


def test_any_other_error_is_its_code_and_message() -> None:
    assert failures_of(InputError("the prompt is empty"), None) == (
        Failure("ERR_INPUTS", "the prompt is empty"),
    )


def passed(case: str, lane: str = "spec", iteration: int = 1) -> CaseRun:
    return gates_ran(timed(case, lane, iteration), gates(), NO_SKIPS)


def failed_at(case: str, *where: str, lane: str = "spec", iteration: int = 1) -> CaseRun:
    statuses = {g: GateStatus.FAILED for g in where if g in GATES}
    if statuses:
        return gates_ran(timed(case, lane, iteration), gates(**statuses), NO_SKIPS)
    return stage_failed(timed(case, lane, iteration), where[0], "ERR_SPEC_INVALID", ())


def test_the_histogram_counts_each_case_once_under_every_gate_that_blocked_it() -> None:
    runs = [
        failed_at("a.json", "mypy", "tests"),
        failed_at("b.json", "mypy"),
        failed_at("c.json", "review"),
        failed_at("d.txt", "plan", lane="prompt"),
        passed("e.json"),
    ]
    assert list(histogram(runs).items()) == [("plan", 1), ("review", 1), ("mypy", 2), ("tests", 1)]


def report(runs: list[CaseRun], iterations: int = 1) -> Reliability:
    return Reliability(tuple(runs), iterations, VERSIONS, 125.0, None, False, NO_SKIPS)


def test_the_report_keeps_lanes_and_iterations_apart() -> None:
    runs = [
        passed("a.json"),
        failed_at("b.json", "fuzz"),
        passed("c.txt", "prompt"),
        passed("a.json", iteration=2),
        passed("b.json", iteration=2),
        failed_at("c.txt", "plan", lane="prompt", iteration=2),
    ]
    made = report(runs, iterations=2).to_dict()
    body: dict[str, Any] = json.loads(json.dumps(made))
    assert body == made
    assert (body["pass_rate"], body["passed"], body["failed"], body["runs"]) == (0.6667, 4, 2, 6)
    assert body["lanes"] == {
        "spec": {"runs": 4, "passed": 3, "failed": 1, "pass_rate": 0.75},
        "prompt": {"runs": 2, "passed": 1, "failed": 1, "pass_rate": 0.5},
    }
    assert body["by_iteration"] == [
        {"iteration": 1, "runs": 3, "passed": 2, "failed": 1, "pass_rate": 0.6667},
        {"iteration": 2, "runs": 3, "passed": 2, "failed": 1, "pass_rate": 0.6667},
    ]
    assert body["histogram"] == {"plan": 1, "fuzz": 1}
    assert [(c["case"], c["iteration"]) for c in body["cases"]] == [
        (r.case, r.iteration) for r in runs
    ]
    assert body["versions"] == VERSIONS


def test_a_lane_without_cases_has_no_pass_rate() -> None:
    assert report([passed("a.json")]).to_dict()["lanes"] == {
        "spec": {"runs": 1, "passed": 1, "failed": 0, "pass_rate": 1.0},
        "prompt": {"runs": 0, "passed": 0, "failed": 0, "pass_rate": None},
    }


@pytest.mark.parametrize(
    ("passing", "minimum", "meets"),
    [(4, 1.0, True), (3, 1.0, False), (3, 0.75, True), (2, 0.75, False), (0, 0.0, True)],
)
def test_the_target_is_met_only_at_or_above_the_minimum_pass_rate(
    passing: int, minimum: float, meets: bool
) -> None:
    runs = [
        passed(f"{n}.json") if n < passing else failed_at(f"{n}.json", "boot") for n in range(4)
    ]
    assert report(runs).meets(minimum) is meets


def test_a_tally_of_nothing_has_no_rate() -> None:
    assert tally([]).pass_rate is None
    assert report([]).pass_rate == 0.0


def test_durations_give_each_stage_its_mean_and_max_over_the_runs_it_ran_in() -> None:
    slow = Timed("b.json", "spec", 1, {"review": 0.03, "compile": 0.4}, 50.0)
    runs = [passed("a.json"), gates_ran(slow, gates(), NO_SKIPS), failed_at("c.json", "review")]
    spent = durations(runs, 125.0)
    assert spent["total_seconds"] == 125.0
    assert spent["case_mean_seconds"] == round((30 + 50 + 30) / 3, 3)
    assert spent["case_max_seconds"] == 50.0
    stages = spent["stages"]
    assert isinstance(stages, dict)
    assert list(stages)[:3] == ["review", "compile", "architecture"]
    assert stages["review"] == {"runs": 3, "mean_seconds": 0.017, "max_seconds": 0.03}
    assert stages["compile"] == {"runs": 3, "mean_seconds": 0.267, "max_seconds": 0.4}
    assert stages["mypy"] == {"runs": 2, "mean_seconds": 2.0, "max_seconds": 2.0}
