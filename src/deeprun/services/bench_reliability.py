"""`deeprun bench reliability`: the share of a corpus that comes out ready with no human edit.

Each case (a spec, or a prompt for the configured planner) is planned, reviewed, compiled into
a scratch folder and checked by the real readiness gates, once per iteration, in order, with no
rerun. Whatever one case raises is recorded for that case; the bench goes on. The decision and
the report are pure (``logic/reliability.py``); here are the stages and their clock.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import structlog

from deeprun import __version__
from deeprun.contracts.errors import DeeprunError, ErrorCode, InputError
from deeprun.contracts.gates import Failure, GateResult
from deeprun.logic.canonical_json import canonical_bytes
from deeprun.logic.compiler import TEMPLATE_VERSION
from deeprun.logic.reliability import (
    STAGES,
    CaseRun,
    Reliability,
    Timed,
    failures_of,
    gates_ran,
    skippable,
    stage_failed,
)
from deeprun.ports.compiling import Formatter, TreeWriter
from deeprun.services import compiling, readiness, specs
from deeprun.services.gate_steps import Policy, Tools
from deeprun.services.planning import PromptToSpecAgent

log = structlog.get_logger("deeprun.bench.reliability")


@dataclass(frozen=True, slots=True)
class Case:
    name: str  # the file name: shop.json, recipes.txt
    lane: str  # "spec" or "prompt"
    data: bytes


@dataclass(frozen=True, slots=True)
class Kit:
    """The adapters, from the composition root. ``scratch`` yields an empty folder it removes
    afterwards; ``gate_tools`` is what ``check ready`` uses, for one working folder."""

    agent: PromptToSpecAgent
    formatter: Formatter
    writer: TreeWriter
    gate_tools: Callable[[Path], AbstractContextManager[Tools]]
    scratch: Callable[[], AbstractContextManager[Path]]
    clock: Callable[[], float]


@dataclass(frozen=True, slots=True)
class Settings:
    iterations: int = 1
    fuzz_examples: int = Policy().fuzz_examples
    engine_missing: str | None = None  # why no container engine works here; None: one does
    container_required: bool = False  # DEEPRUN_REQUIRE_CONTAINER=1: no skip at all

    @property
    def allowed_skips(self) -> frozenset[str]:
        return skippable(self.engine_missing is not None, self.container_required)

    @property
    def policy(self) -> Policy:
        return Policy(self.allowed_skips, fuzz_examples=self.fuzz_examples)


@dataclass(frozen=True, slots=True)
class Progress:
    """Told before a run starts (its number from 1 and the count), as each of its gates
    starts, and when it ends."""

    started: Callable[[int, int, Case], None] = lambda number, count, case: None
    gate: Callable[[str], None] = lambda name: None
    finished: Callable[[int, int, CaseRun], None] = lambda number, count, run: None


def run(
    cases: Sequence[Case], kit: Kit, settings: Settings, progress: Progress | None = None
) -> Reliability:
    """Every case of ``cases`` (in the order given), ``settings.iterations`` times over."""
    told = progress or Progress()
    started = kit.clock()
    count = len(cases) * settings.iterations
    runs: list[CaseRun] = []
    for iteration in range(1, settings.iterations + 1):
        for case in cases:
            told.started(len(runs) + 1, count, case)
            result = _case(case, iteration, kit, settings, told.gate)
            log.info(
                "bench.case",
                case=case.name,
                lane=case.lane,
                iteration=iteration,
                passed=result.passed,
                stage=result.stage,
                seconds=round(result.total, 3),
            )
            runs.append(result)
            told.finished(len(runs), count, result)
    return Reliability(
        tuple(runs),
        settings.iterations,
        versions(kit.agent),
        kit.clock() - started,
        settings.engine_missing,
        settings.container_required,
        settings.allowed_skips,
    )


def versions(agent: PromptToSpecAgent) -> dict[str, str]:
    return {
        "generator": __version__,
        "template": TEMPLATE_VERSION,
        "provider": agent.provider,
        "model": agent.model_name,
        "python": platform.python_version(),
    }


class _Stopwatch:
    """Times each stage, and knows which one is running when something escapes."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.started = clock()
        self.current = STAGES[0]
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.current = name
        started = self.clock()
        try:
            yield
        finally:
            self.seconds[name] = self.clock() - started

    def entered(self, name: str) -> None:
        """A gate started (readiness times gates itself)."""
        self.current = name

    def timed(self, case: Case, iteration: int) -> Timed:
        spent = self.clock() - self.started
        return Timed(case.name, case.lane, iteration, dict(self.seconds), spent)


def _case(
    case: Case, iteration: int, kit: Kit, settings: Settings, gate: Callable[[str], None]
) -> CaseRun:
    watch = _Stopwatch(kit.clock)

    def entered(name: str) -> None:
        watch.entered(name)
        gate(name)

    try:
        gates = _stages(case, kit, settings, watch, entered)
    except DeeprunError as exc:
        source = case.name if case.lane == "spec" else None
        failures = failures_of(exc, source)
        return stage_failed(watch.timed(case, iteration), watch.current, exc.code.value, failures)
    except Exception as exc:  # a defect in one case is that case's result, never the bench's end
        log.exception("bench.case_crashed", case=case.name, stage=watch.current)
        code = ErrorCode.INTERNAL.value
        crash = Failure(code, f"{type(exc).__name__}: {exc} (during or after {watch.current})")
        return stage_failed(watch.timed(case, iteration), watch.current, code, (crash,))
    return gates_ran(watch.timed(case, iteration), gates, settings.allowed_skips)


def _stages(
    case: Case,
    kit: Kit,
    settings: Settings,
    watch: _Stopwatch,
    entered: Callable[[str], None],
) -> tuple[GateResult, ...]:
    data = case.data
    if case.lane == "prompt":
        with watch.stage("plan"):
            data = canonical_bytes(kit.agent.run(_prompt(case.data)).canonical)
    with watch.stage("review"):
        specs.normalize(data)
    watch.entered("compile")
    with kit.scratch() as compiled, kit.scratch() as work:
        project = compiled / "project"
        with watch.stage("compile"):
            compiling.compile_to(data, project, None, formatter=kit.formatter, writer=kit.writer)
        watch.entered("check")
        with kit.gate_tools(work) as tools:
            verdict = readiness.check_ready(project, work, tools, settings.policy, entered)
    return verdict.gates


def _prompt(data: bytes) -> str:
    try:
        return data.decode()
    except UnicodeDecodeError as exc:
        raise InputError("the prompt is not UTF-8 text") from exc
