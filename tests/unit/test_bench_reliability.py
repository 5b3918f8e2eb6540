"""`bench reliability` over a real planner, review and compiler, with the gates' ports faked:
what each case records, and that nothing one case does ends the bench."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from deeprun.adapters.project_files import FilesystemProject
from deeprun.adapters.ruff_formatter import RuffFormatter
from deeprun.adapters.tree_writer import FilesystemTreeWriter
from deeprun.contracts.errors import GateError
from deeprun.contracts.gates import GATES
from deeprun.logic.compiler import TEMPLATE_VERSION
from deeprun.logic.reliability import NO_ENGINE, CaseRun, Reliability
from deeprun.ports.gates import CommandResult
from deeprun.services.bench_reliability import Case, Kit, Progress, Settings, run
from deeprun.services.gate_steps import Tools
from deeprun.services.planning import PromptToSpecAgent
from tests.doubles.gates import (
    FakeFuzzer,
    FakeInstaller,
    FakeProbe,
    MemoryDatabases,
    NoContainers,
    NoImports,
    NoLint,
    ScriptedSandbox,
    ticking_clock,
)
from tests.doubles.language_model import RecordedWaits
from tests.specs import EXAMPLES

TINY = Case("todo.json", "spec", (EXAMPLES / "todo-noauth-1.0.json").read_bytes())
INVALID = Case("broken.json", "spec", b'{"spec_version": "1.0", "project_name": "x"}')
PROMPT = Case(
    "inventory.txt",
    "prompt",
    b"Inventory without login: warehouses (name, city), products (sku unique, name, price).",
)
VAGUE = Case("vague.txt", "prompt", b"hello there")
NO_ENGINE_HERE = Settings(engine_missing="podman is not installed")


def fake_tools(sandbox: ScriptedSandbox | None = None) -> Tools:
    """Real files (the compiled project), every process and server faked, no engine."""
    return Tools(
        files=FilesystemProject(),
        graph=NoImports(),
        linter=NoLint(),
        sandbox=sandbox or ScriptedSandbox(),
        installer=FakeInstaller(),
        databases=MemoryDatabases(),
        probe=FakeProbe(),
        fuzzer=FakeFuzzer(),
        containers=NoContainers(),
        free_port=lambda: 8123,
        clock=ticking_clock(),
    )


@dataclass
class Bench:
    """A kit whose scratch folders live under ``root``, and what the bench told and left."""

    root: Path
    tools: Callable[[int], Tools] = lambda number: fake_tools()
    opened: list[Path] = field(default_factory=list)
    told: list[str] = field(default_factory=list)

    @contextmanager
    def scratch(self) -> Iterator[Path]:
        folder = self.root / f"scratch-{len(self.opened)}"
        folder.mkdir()
        self.opened.append(folder)
        try:
            yield folder
        finally:
            shutil.rmtree(folder)

    def gate_tools(self) -> Callable[[Path], AbstractContextManager[Tools]]:
        calls = itertools.count(1)

        @contextmanager
        def tools(work: Path) -> Iterator[Tools]:
            yield self.tools(next(calls))

        return tools

    def kit(self) -> Kit:
        agent = PromptToSpecAgent(None, RecordedWaits().pacing())
        return Kit(
            agent,
            RuffFormatter(),
            FilesystemTreeWriter(),
            self.gate_tools(),
            self.scratch,
            ticking_clock(),
        )

    def progress(self) -> Progress:
        return Progress(
            lambda n, count, case: self.told.append(f"start {n}/{count} {case.name}"),
            self.told.append,
            lambda n, count, result: self.told.append(f"end {n}/{count} {_outcome(result)}"),
        )

    def run(self, cases: list[Case], settings: Settings = NO_ENGINE_HERE) -> Reliability:
        return run(cases, self.kit(), settings, self.progress())


def _outcome(result: CaseRun) -> str:
    return "passed" if result.passed else f"failed at {result.stage}"


def test_an_invalid_spec_is_recorded_and_the_valid_one_after_it_still_runs(tmp_path: Path) -> None:
    bench = Bench(tmp_path)
    report = bench.run([INVALID, TINY])
    broken, todo = report.runs
    assert (broken.stage, broken.error, broken.verdict) == ("review", "ERR_SPEC_INVALID", None)
    assert broken.failures[0].file == "broken.json"
    assert todo.passed
    assert (todo.verdict, todo.container) == ("YES", NO_ENGINE)
    assert {"review", "compile", *GATES[:-1]} <= set(todo.seconds)
    assert report.pass_rate == 0.5
    assert bench.told == [
        "start 1/2 broken.json",
        "end 1/2 failed at review",
        "start 2/2 todo.json",
        *GATES,
        "end 2/2 passed",
    ]
    assert bench.opened and not any(folder.exists() for folder in bench.opened)


def test_under_require_container_a_missing_engine_fails_the_case(tmp_path: Path) -> None:
    required = Settings(engine_missing="podman is not installed", container_required=True)
    [todo] = Bench(tmp_path).run([TINY], required).runs
    assert (todo.blocking, todo.container) == (("container",), "skipped")
    assert "no container engine" in todo.failures[0].message


def test_where_an_engine_exists_its_skip_is_never_allowed(tmp_path: Path) -> None:
    [todo] = Bench(tmp_path).run([TINY], Settings()).runs
    assert todo.blocking == ("container",)


def test_a_gate_that_crashes_fails_its_case_and_the_next_case_still_runs(tmp_path: Path) -> None:
    def crash(argv: Sequence[str]) -> CommandResult:
        raise RuntimeError("the sandbox fell over")

    def tools(number: int) -> Tools:
        return fake_tools(ScriptedSandbox({"mypy": crash}) if number == 1 else None)

    report = Bench(tmp_path, tools).run([TINY, TINY])
    first, second = report.runs
    assert (first.stage, first.error) == ("mypy", "ERR_INTERNAL")
    assert first.failures[0].message.startswith("RuntimeError: the sandbox fell over")
    assert second.passed
    assert report.to_dict()["histogram"] == {"mypy": 1}


def test_gate_machinery_that_fails_before_any_gate_counts_as_the_check_stage(
    tmp_path: Path,
) -> None:
    def tools(number: int) -> Tools:
        raise GateError("the embedded PostgreSQL did not start")

    [todo] = Bench(tmp_path, tools).run([TINY]).runs
    assert (todo.stage, todo.error) == ("check", "ERR_GATE")
    assert todo.failures[0].message == "the embedded PostgreSQL did not start"
    assert "compile" in todo.seconds


def test_prompts_go_through_the_planner_and_a_vague_one_fails_at_plan(tmp_path: Path) -> None:
    not_text = Case("latin1.txt", "prompt", "Caf\u00e9s with a name".encode("latin-1"))
    report = Bench(tmp_path).run([PROMPT, VAGUE, not_text])
    inventory, vague, latin1 = report.runs
    assert inventory.passed
    assert {"plan", "review", "compile"} <= set(inventory.seconds)
    assert (vague.stage, vague.error) == ("plan", "ERR_SPEC_GENERATION")
    assert (latin1.stage, latin1.error) == ("plan", "ERR_INPUTS")
    assert report.lanes()["prompt"].to_dict() == {
        "runs": 3,
        "passed": 1,
        "failed": 2,
        "pass_rate": 0.3333,
    }
    assert {k: report.versions[k] for k in ("provider", "model", "template")} == {
        "provider": "offline",
        "model": "heuristic",
        "template": TEMPLATE_VERSION,
    }


def test_each_iteration_runs_the_whole_corpus_again_and_counts_apart(tmp_path: Path) -> None:
    report = Bench(tmp_path).run([INVALID, TINY], Settings(2, 3, "no engine"))
    assert [(r.case, r.iteration, r.passed) for r in report.runs] == [
        ("broken.json", 1, False),
        ("todo.json", 1, True),
        ("broken.json", 2, False),
        ("todo.json", 2, True),
    ]
    assert report.to_dict()["by_iteration"] == [
        {"iteration": 1, "runs": 2, "passed": 1, "failed": 1, "pass_rate": 0.5},
        {"iteration": 2, "runs": 2, "passed": 1, "failed": 1, "pass_rate": 0.5},
    ]


@pytest.mark.parametrize("examples", [1, 25])
def test_the_fuzz_examples_reach_the_gates_policy(examples: int) -> None:
    assert Settings(fuzz_examples=examples).policy.fuzz_examples == examples
