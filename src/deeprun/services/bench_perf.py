"""``bench perf``: deeprun's speed figures, measured side by side in one run.

- compile: time by stage in one process (``bench_compile``) for 1, 10, 50 and 200 entities,
  the same specs end to end as people run them (``deeprun compile`` in a new process), and how
  the time per entity grows;
- gates: ``check architecture`` by stage and ``check ready`` by gate, cold (a new deeprun cache:
  shared venvs, mypy cache and the gates' PostgreSQL cluster all made anew; the container store
  is kept, its base image cannot be rebuilt offline) and then warm (the same cache again);
- load: the generated API beside the hand-written references (``bench_load``).

Parts run in that order and each can be chosen alone. Every figure is a wall-clock time from
the injected clock or the launcher.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from deeprun import __version__
from deeprun.contracts.errors import GateError, InputError
from deeprun.contracts.gates import Readiness
from deeprun.logic.architecture.check import check_architecture
from deeprun.logic.compiler import TEMPLATE_VERSION
from deeprun.logic.perf import (
    COMPILE_TARGET_ENTITIES,
    COMPILE_TARGET_MS,
    ENTITY_SIZES,
    GROWTH_SIZES,
    median,
    per_entity_growth,
)
from deeprun.ports.bench import Launcher
from deeprun.ports.compiling import Formatter, TreeWriter
from deeprun.services import bench_compile, bench_load, compiling, readiness
from deeprun.services.architecture import ArchitectureTools
from deeprun.services.bench_compile import CompileTiming
from deeprun.services.bench_load import LoadOptions, LoadReport, LoadTools
from deeprun.services.gate_steps import Policy, Tools

PARTS: Final = ("compile", "gates", "load")
SPEC: Final = "spec.json"  # in the references folder: the example the gates and the load use
COMPILE_SECONDS: Final = 300.0
COLD_MEANS: Final = (
    "a new deeprun cache: shared venvs (from uv's own cache), mypy cache, the gates' PostgreSQL "
    "cluster; the container store is kept"
)
_TAIL = 1500

Clock = Callable[[], float]
T = TypeVar("T")
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class PerfKit:
    """The adapters, from the composition root. ``scratch`` yields an empty folder removed
    afterwards; ``gate_tools(workdir, cache)`` is ``check ready``'s, on the given cache."""

    formatter: Formatter
    writer: TreeWriter
    launcher: Callable[[Path], Launcher]  # a sandbox whose HOME is the given folder
    deeprun: tuple[str, ...]  # the command that runs deeprun in a new process
    architecture: ArchitectureTools
    gate_tools: Callable[[Path, Path], AbstractContextManager[Tools]]
    load_tools: Callable[[Path], AbstractContextManager[LoadTools]]
    scratch: Callable[[], AbstractContextManager[Path]]
    clock: Clock
    machine: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class PerfOptions:
    references: Path  # bench/perf: the example spec, the references and their seed script
    parts: frozenset[str] = frozenset(PARTS)
    repeat: int = 3  # compile runs per size
    load: LoadOptions = field(default_factory=LoadOptions)


@dataclass(frozen=True, slots=True)
class CompileReport:
    stages: tuple[CompileTiming, ...]  # in one process, medians
    end_to_end_ms: Mapping[int, float]  # `deeprun compile` in a new process, medians

    @property
    def growth(self) -> tuple[float | None, float | None]:
        """Time per entity at 200 over 10: in one process, and end to end."""
        in_process = {t.entities: t.total_ms for t in self.stages}
        return per_entity_growth(in_process), per_entity_growth(self.end_to_end_ms)

    @property
    def target_met(self) -> bool:
        measured = self.end_to_end_ms.get(COMPILE_TARGET_ENTITIES)
        return measured is not None and measured < COMPILE_TARGET_MS

    def to_dict(self) -> dict[str, object]:
        in_process, end_to_end = self.growth
        return {
            "cases": [
                {**t.to_dict(), "end_to_end_ms": self.end_to_end_ms.get(t.entities)}
                for t in self.stages
            ],
            "growth": {
                "sizes": list(GROWTH_SIZES),
                "in_process": in_process,
                "end_to_end": end_to_end,
            },
            "target": {
                "entities": COMPILE_TARGET_ENTITIES,
                "end_to_end_ms": COMPILE_TARGET_MS,
                "met": self.target_met,
            },
        }


@dataclass(frozen=True, slots=True)
class GateReport:
    architecture: tuple[Mapping[str, float], Mapping[str, float]]  # cold, warm: stage -> s
    ready: tuple[Readiness, Readiness]  # cold, warm
    ready_seconds: tuple[float, float]  # wall clock: the tests gate runs beside boot and fuzz

    def to_dict(self) -> dict[str, object]:
        cold, warm = self.ready
        warm_gates = {g.gate: g for g in warm.gates}
        return {
            "architecture": [
                {"stage": stage, "cold_s": seconds, "warm_s": self.architecture[1][stage]}
                for stage, seconds in self.architecture[0].items()
            ],
            "ready": [
                {
                    "gate": g.gate,
                    "cold_s": round(g.seconds, 3),
                    "warm_s": round(warm_gates[g.gate].seconds, 3),
                    "cold_status": g.status.value,
                    "warm_status": warm_gates[g.gate].status.value,
                    "cold_reason": g.reason,
                    "warm_reason": warm_gates[g.gate].reason,
                }
                for g in cold.gates
            ],
            "ready_total_s": {
                "cold": round(self.ready_seconds[0], 3),
                "warm": round(self.ready_seconds[1], 3),
            },
            "ready_verdict": {"cold": cold.ready, "warm": warm.ready},
            "cold_means": COLD_MEANS,
        }


@dataclass(frozen=True, slots=True)
class PerfReport:
    machine: Mapping[str, object]
    compile: CompileReport | None
    gates: GateReport | None
    load: LoadReport | None

    def to_dict(self) -> dict[str, object]:
        return {
            "machine": dict(self.machine),
            "versions": {"generator": __version__, "template": TEMPLATE_VERSION},
            "compile": self.compile.to_dict() if self.compile else None,
            "gates": self.gates.to_dict() if self.gates else None,
            "load": self.load.to_dict() if self.load else None,
        }


def run(kit: PerfKit, options: PerfOptions, progress: Progress) -> PerfReport:
    unknown = options.parts - set(PARTS)
    if unknown or not options.parts:
        raise InputError(f"--only takes {', '.join(PARTS)}; not {', '.join(sorted(unknown))}")
    spec = options.references / SPEC
    if not spec.is_file():
        raise InputError(f"{spec} is missing: bench perf runs from a deeprun checkout")
    compiled = _compile_times(kit, options.repeat, progress) if "compile" in options.parts else None
    gates = load = None
    if options.parts & {"gates", "load"}:
        with kit.scratch() as work:
            project = work / "project"
            compiling.compile_to(
                spec.read_bytes(), project, None, formatter=kit.formatter, writer=kit.writer
            )
            if "gates" in options.parts:
                gates = _gate_times(kit, project, progress)
            if "load" in options.parts:
                with kit.load_tools(work) as tools:
                    load = bench_load.run(
                        project, options.references, tools, options.load, progress
                    )
    return PerfReport(kit.machine, compiled, gates, load)


def _compile_times(kit: PerfKit, repeat: int, progress: Progress) -> CompileReport:
    progress("compile: stages in one process")
    stages = bench_compile.run(kit.formatter, kit.clock, repeat, sizes=ENTITY_SIZES)
    with kit.scratch() as folder:
        launcher = kit.launcher(folder / "home")
        end_to_end = {}
        for size in ENTITY_SIZES:
            progress(f"compile: {size} entities end to end")
            end_to_end[size] = _end_to_end(kit, launcher, folder, size, repeat)
    return CompileReport(tuple(stages), end_to_end)


def _end_to_end(kit: PerfKit, launcher: Launcher, folder: Path, size: int, repeat: int) -> float:
    """Median milliseconds of ``deeprun compile SPEC -o NEW --json`` in a new process."""
    spec = folder / f"spec-{size}.json"
    spec.write_bytes(bench_compile.sized_spec(size))
    times: list[float] = []
    for attempt in range(repeat):
        output = folder / f"out-{size}-{attempt}"
        argv = [*kit.deeprun, "compile", str(spec), "-o", str(output), "--json"]
        result = launcher.run(argv, cwd=folder, env={}, timeout=COMPILE_SECONDS)
        if not result.ok:
            raise GateError(f"deeprun compile of {size} entities failed: {result.output[-_TAIL:]}")
        times.append(result.seconds * 1000)
    return round(median(times), 1)


def _gate_times(kit: PerfKit, project: Path, progress: Progress) -> GateReport:
    progress("gates: check architecture")
    architecture = (_architecture_stages(kit, project), _architecture_stages(kit, project))
    with kit.scratch() as cache:
        cold, cold_seconds = _ready(kit, project, cache, "cold", progress)
        warm, warm_seconds = _ready(kit, project, cache, "warm", progress)
    return GateReport(architecture, (cold, warm), (cold_seconds, warm_seconds))


def _architecture_stages(kit: PerfKit, project: Path) -> dict[str, float]:
    """``check architecture`` stage by stage (``architecture.check_files`` with a clock)."""
    tools, clock = kit.architecture, kit.clock
    files, read = _timed(clock, lambda: tools.files.read(project))
    graph, imports = _timed(clock, lambda: tools.graph.imports(project, "app"))
    lint, linted = _timed(clock, lambda: tools.linter.lint(project / "Dockerfile"))
    _, ruled = _timed(clock, lambda: check_architecture(files, graph, lint))
    seconds = {"read files": read, "import graph": imports, "dockerfile lint": linted}
    seconds["rules"] = ruled
    return {**seconds, "total": round(sum(seconds.values()), 4)}


def _timed(clock: Clock, work: Callable[[], T]) -> tuple[T, float]:
    started = clock()
    value = work()
    return value, round(clock() - started, 4)


def _ready(
    kit: PerfKit, project: Path, cache: Path, label: str, progress: Progress
) -> tuple[Readiness, float]:
    """One ``check ready`` on ``cache``, and its wall-clock seconds (starting the database
    server included, as people wait for it)."""
    started = kit.clock()
    with kit.scratch() as work, kit.gate_tools(work, cache) as tools:
        verdict = readiness.check_ready(
            project, work, tools, Policy(), lambda gate: progress(f"gates: {label} {gate}")
        )
    return verdict, kit.clock() - started
