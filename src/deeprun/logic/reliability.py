"""`deeprun bench reliability`, the pure half: whether one case passed, and the report over runs.

A case goes plan (prompt lane only) → review → compile → the readiness gates. It passes only
when every gate passed. The one skip it may pass with is the container gate's, and only where
this machine has no container engine and DEEPRUN_REQUIRE_CONTAINER is not set (``skippable``).
A failed case counts once under every stage or gate that blocked it (the histogram) and shows
the first typed failures of the first of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from deeprun.contracts.errors import DeeprunError, SpecGenerationError, SpecInvalidError
from deeprun.contracts.gates import GATES, Failure, GateResult, GateStatus, Readiness, Severity
from deeprun.contracts.problems import Problem

LANES = ("spec", "prompt")  # the template baseline; the planner and the template together
# Before the gates; "check" is the gates' own machinery (database server, working copy).
STAGES = ("plan", "review", "compile", "check")
ORDER = (*STAGES, *GATES)
SHOWN_FAILURES = 3
NO_ENGINE = "skipped (no engine)"


def skippable(engine_missing: bool, container_required: bool) -> frozenset[str]:
    """The gates a case may pass with skipped: the container gate, where no engine exists."""
    return frozenset({"container"}) if engine_missing and not container_required else frozenset()


@dataclass(frozen=True, slots=True)
class Timed:
    """What every run knows however it ended: which case, and the time each stage took."""

    case: str
    lane: str
    iteration: int
    seconds: Mapping[str, float]  # each stage that ran, failed ones included
    total: float


@dataclass(frozen=True, slots=True)
class CaseRun:
    """One case in one iteration, judged. ``blocking`` empty means it passed."""

    case: str
    lane: str
    iteration: int
    blocking: tuple[str, ...]  # the stages and gates that failed it, in pipeline order
    failures: tuple[Failure, ...]  # the first blocking stage's first typed failures
    seconds: Mapping[str, float]  # each stage and gate that ran
    total: float
    verdict: str | None = None  # the readiness verdict; None when no gate ran
    container: str | None = None  # the container gate's status, or NO_ENGINE
    error: str | None = None  # the ERR_* code of a stage that raised

    @property
    def passed(self) -> bool:
        return not self.blocking

    @property
    def stage(self) -> str | None:
        return self.blocking[0] if self.blocking else None

    def to_dict(self) -> dict[str, object]:
        return {
            "case": self.case,
            "lane": self.lane,
            "iteration": self.iteration,
            "passed": self.passed,
            "verdict": self.verdict,
            "stage": self.stage,
            "blocking": list(self.blocking),
            "failures": [_failure_dict(f) for f in self.failures],
            "error": self.error,
            "container": self.container,
            "seconds": {name: round(s, 3) for name, s in self.seconds.items()},
            "total_seconds": round(self.total, 3),
        }


def gates_ran(run: Timed, gates: tuple[GateResult, ...], allowed_skips: frozenset[str]) -> CaseRun:
    """``run`` (its stages timed) completed with the gates' results: the pass decision."""
    readiness = Readiness(gates, allowed_skips)
    blocking = readiness.blocking()
    timed = {g.gate: g.seconds for g in gates if g.status is not GateStatus.NOT_RUN}
    container = next((g for g in gates if g.gate == "container"), None)
    shown = container.status.value if container is not None else None
    if container is not None and container.status is GateStatus.SKIPPED:
        shown = NO_ENGINE if "container" in allowed_skips else shown
    return CaseRun(
        run.case,
        run.lane,
        run.iteration,
        tuple(g.gate for g in blocking),
        _gate_failures(blocking[0]) if blocking else (),
        {**run.seconds, **timed},
        run.total,
        "YES" if readiness.ready else "NO",
        shown,
    )


def stage_failed(run: Timed, stage: str, code: str, failures: tuple[Failure, ...]) -> CaseRun:
    """``run`` stopped at ``stage`` (a stage, or the gate that crashed) with an ERR_* ``code``."""
    return CaseRun(
        run.case,
        run.lane,
        run.iteration,
        (stage,),
        failures[:SHOWN_FAILURES],
        run.seconds,
        run.total,
        error=code,
    )


def failures_of(error: DeeprunError, source: str | None = None) -> tuple[Failure, ...]:
    """A stage's error as typed failures; review problems name the JSON pointer they found."""
    if isinstance(error, SpecInvalidError):
        return tuple(_problem(p, source) for p in error.problems[:SHOWN_FAILURES])
    found = [Failure(error.code.value, error.message, source)]
    if isinstance(error, SpecGenerationError) and error.attempts:
        found += [_problem(p, None) for p in error.attempts[-1].problems]
    return tuple(found[:SHOWN_FAILURES])


def _problem(problem: Problem, source: str | None) -> Failure:
    return Failure(problem.code.value, f"{problem.path or '/'}: {problem.message}", source)


def _gate_failures(gate: GateResult) -> tuple[Failure, ...]:
    errors = tuple(f for f in gate.failures if f.severity is Severity.ERROR)
    if errors:
        return errors[:SHOWN_FAILURES]
    return (Failure(gate.gate, gate.reason or f"the {gate.gate} gate {gate.status.value}"),)


def _failure_dict(failure: Failure) -> dict[str, object]:
    return {
        "code": failure.code,
        "tool_code": failure.tool_code,
        "message": failure.message,
        "file": failure.file,
        "line": failure.line,
    }


@dataclass(frozen=True, slots=True)
class Tally:
    runs: int
    passed: int

    @property
    def failed(self) -> int:
        return self.runs - self.passed

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.runs if self.runs else None

    def to_dict(self) -> dict[str, object]:
        rate = self.pass_rate
        return {
            "runs": self.runs,
            "passed": self.passed,
            "failed": self.failed,
            "pass_rate": round(rate, 4) if rate is not None else None,
        }


def tally(runs: Iterable[CaseRun]) -> Tally:
    counted = [r.passed for r in runs]
    return Tally(len(counted), sum(counted))


def histogram(runs: Iterable[CaseRun]) -> dict[str, int]:
    """Stage or gate → how many runs it failed (a run counts under each gate that blocked it)."""
    counts = Counter(name for r in runs for name in r.blocking)
    return {name: counts[name] for name in sorted(counts, key=_pipeline_position)}


def _pipeline_position(name: str) -> tuple[int, str]:
    return (ORDER.index(name) if name in ORDER else len(ORDER), name)


def durations(runs: Iterable[CaseRun], seconds: float) -> dict[str, object]:
    """The bench's wall clock, and each stage's and gate's mean and max over the runs it ran in."""
    listed = list(runs)
    by_stage: dict[str, list[float]] = {}
    for r in listed:
        for name, spent in r.seconds.items():
            by_stage.setdefault(name, []).append(spent)
    totals = [r.total for r in listed]
    return {
        "total_seconds": round(seconds, 3),
        "case_mean_seconds": round(sum(totals) / len(totals), 3) if totals else None,
        "case_max_seconds": round(max(totals), 3) if totals else None,
        "stages": {
            name: {
                "runs": len(spent),
                "mean_seconds": round(sum(spent) / len(spent), 3),
                "max_seconds": round(max(spent), 3),
            }
            for name, spent in sorted(by_stage.items(), key=lambda kv: _pipeline_position(kv[0]))
        },
    }


@dataclass(frozen=True, slots=True)
class Reliability:
    """Every run of every case, and what produced them."""

    runs: tuple[CaseRun, ...]
    iterations: int
    versions: Mapping[str, str]
    seconds: float
    engine_missing: str | None = None  # why no container engine works here; None: one does
    container_required: bool = False
    allowed_skips: frozenset[str] = field(default_factory=frozenset)

    @property
    def totals(self) -> Tally:
        return tally(self.runs)

    @property
    def pass_rate(self) -> float:
        rate = self.totals.pass_rate
        return rate if rate is not None else 0.0

    def lanes(self) -> dict[str, Tally]:
        return {lane: tally(r for r in self.runs if r.lane == lane) for lane in LANES}

    def meets(self, minimum: float) -> bool:
        return self.pass_rate >= minimum

    def to_dict(self) -> dict[str, object]:
        totals = self.totals
        return {
            "pass_rate": round(self.pass_rate, 4),
            "passed": totals.passed,
            "failed": totals.failed,
            "runs": totals.runs,
            "iterations": self.iterations,
            "lanes": {lane: t.to_dict() for lane, t in self.lanes().items()},
            "by_iteration": [
                {"iteration": i, **tally(r for r in self.runs if r.iteration == i).to_dict()}
                for i in range(1, self.iterations + 1)
            ],
            "histogram": histogram(self.runs),
            "cases": [r.to_dict() for r in self.runs],
            "durations": durations(self.runs, self.seconds),
            "versions": dict(self.versions),
            "container": {
                "engine": "missing" if self.engine_missing else "available",
                "reason": self.engine_missing,
                "required": self.container_required,
                "skip_allowed": "container" in self.allowed_skips,
            },
        }
