"""``bench perf`` figures: wrk's output read, growth and ratios derived, targets judged, and the
compile and gate parts orchestrated over fake ports."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import NoReturn

import pytest
from rich.console import Console

from deeprun.adapters.wrk import MARKER, parse_wrk
from deeprun.contracts.errors import InputError
from deeprun.contracts.gates import Failure, GateResult, GateStatus, Readiness
from deeprun.entrypoints.render import show_perf_bench
from deeprun.logic import perf
from deeprun.ports.bench import LoadFigures, Memory, Reply
from deeprun.services import bench_perf
from deeprun.services.architecture import ArchitectureTools
from deeprun.services.bench_compile import CompileTiming
from deeprun.services.bench_load import AppRun, LoadOptions, LoadReport, LoadTools
from deeprun.services.bench_routes import answer_problem
from deeprun.services.gate_steps import Tools
from tests.doubles import MemoryTreeWriter, PassThroughFormatter
from tests.doubles.bench import TimedLauncher
from tests.doubles.gates import (
    FakeFuzzer,
    FakeInstaller,
    FakeProbe,
    MemoryDatabases,
    MemoryProject,
    NoContainers,
    NoImports,
    NoLint,
    ScriptedSandbox,
    ticking_clock,
)
from tests.specs import ROOT

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8000/items/1
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    15.07ms    3.10ms  61.32ms   89.42%
    Req/Sec     2.13k   150.22     2.40k    75.00%
  21302 requests in 10.01s, 6.89MB read
Requests/sec:   2128.09
Transfer/sec:    704.85KB
"""
FIGURES = (
    '{"requests": 21302, "duration_us": 10010000, "status": 0, "connect": 0, "read": 0, '
    '"write": 0, "timeout": 0, "p50_us": 14502, "p90_us": 18020, "p99_us": 30410, '
    '"max_us": 61320}'
)


def figures(requests: int = 100, non_2xx: int = 0, socket_errors: int = 0) -> LoadFigures:
    return LoadFigures(requests, 2.0, 1.0, 2.0, 3.0, 4.0, non_2xx, socket_errors)


# wrk's output


def test_the_figures_line_of_a_wrk_run_is_read_in_milliseconds() -> None:
    found = parse_wrk(WRK_REPORT + MARKER + FIGURES + "\n")
    assert found == LoadFigures(21302, 10.01, 14.502, 18.02, 30.41, 61.32, 0, 0)
    assert found.per_second == 2128.1
    assert found.clean


def test_errors_and_non_2xx_answers_make_a_run_unclean() -> None:
    line = FIGURES.replace('"status": 0', '"status": 7').replace('"timeout": 0', '"timeout": 2')
    found = parse_wrk(MARKER + line)
    assert (found.non_2xx, found.socket_errors, found.clean) == (7, 2, False)
    assert not figures(requests=0).clean


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (WRK_REPORT, "no figures line"),
        (MARKER + "{not json", "not JSON"),
        (MARKER + FIGURES.replace('"p99_us": 30410, ', ""), "lacks a count"),
        (MARKER + FIGURES.replace("21302", '"many"'), "lacks a count"),
    ],
)
def test_output_without_a_whole_figures_line_is_refused(output: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_wrk(output)


# growth, ratios and targets


def test_linear_compile_time_has_a_growth_of_one() -> None:
    assert perf.per_entity_growth({10: 100.0, 200: 2000.0}) == 1.0


def test_fixed_costs_spread_over_more_entities_show_growth_under_one() -> None:
    assert perf.per_entity_growth({1: 60.0, 10: 150.0, 200: 1800.0}) == 0.6


def test_worse_than_linear_compile_time_shows_growth_above_one() -> None:
    assert perf.per_entity_growth({10: 100.0, 200: 8000.0}) == 4.0


def test_growth_needs_both_sizes_and_a_measured_small_one() -> None:
    assert perf.per_entity_growth({10: 100.0}) is None
    assert perf.per_entity_growth({10: 0.0, 200: 10.0}) is None


def test_each_route_is_compared_with_each_reference() -> None:
    rates = {
        "generated": {"get": 1500.0, "create": 700.0},
        "fastapi": {"get": 2000.0, "create": 1400.0},
        "starlette": {"get": 5000.0, "create": 0.0},
    }
    ratios = perf.route_ratios(rates, "generated", ("fastapi", "starlette"))
    assert ratios == {
        "get": {"fastapi": 0.75, "starlette": 0.3},
        "create": {"fastapi": 0.5, "starlette": None},
    }


def test_a_route_under_seventy_percent_of_the_reference_misses_the_target() -> None:
    ratios = {"get": {"fastapi": 0.75}, "list": {"fastapi": 0.69}, "create": {"fastapi": 0.7}}
    assert perf.missed_targets(ratios, "fastapi") == ("list",)


def test_a_route_the_reference_did_not_measure_misses_the_target() -> None:
    assert perf.missed_targets({"get": {"fastapi": None}}, "fastapi") == ("get",)
    assert perf.missed_targets({"get": {"fastapi": 0.9}}, "fastapi") == ()


def test_server_processor_time_is_shared_out_per_request() -> None:
    assert perf.cpu_per_request(1.5, 3.5, 1000) == 2.0
    assert perf.cpu_per_request(None, 3.5, 1000) is None
    assert perf.cpu_per_request(1.5, 3.5, 0) is None


def test_processor_time_per_request_reads_as_requests_per_cpu_second() -> None:
    assert perf.per_cpu_second(0.5) == 2000.0
    assert perf.per_cpu_second(None) == 0.0


def test_the_load_report_compares_rates_and_processor_time_and_flags_errors() -> None:
    def app(name: str, rate: float, cpu_ms: float, non_2xx: int = 0) -> AppRun:
        run = LoadFigures(int(rate * 10), 10.0, 1.0, 2.0, 3.0, 4.0, non_2xx, 0)
        return AppRun(name, {"get_by_id": run}, {"get_by_id": cpu_ms}, None, None)

    report = LoadReport(
        "wrk 4",
        {},
        LoadOptions(),
        {},
        (
            app("generated", 800, 1.0, non_2xx=3),
            app("fastapi", 1000, 0.5),
            app("starlette", 2000, 0.25),
        ),
    )
    assert report.ratios == {"get_by_id": {"fastapi": 0.8, "starlette": 0.4}}
    assert report.cpu_ratios == {"get_by_id": {"fastapi": 0.5, "starlette": 0.25}}
    assert report.missed == ()
    assert report.unclean == ("generated/get_by_id",)
    body = report.to_dict()
    assert body["target"] == {"reference": "fastapi", "ratio": 0.7, "missed": []}
    assert body["settings"] == {
        "seconds": 10,
        "warmup": 2,
        "connections": 32,
        "threads": 1,
        "rows": 10_000,
        "host": "127.0.0.1",
        "workers": 1,
    }


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert perf.median([3.0, 1.0, 2.0]) == 2.0
    assert perf.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert perf.median([]) == 0.0


# what every app must answer before the load


SEEDED = {"item_id": "00000000-0000-4000-8000-000000000001", "category": "c", "matching": 30}
ITEM = {"id": SEEDED["item_id"], "name": "n", "category": "c", "price": 1, "in_stock": True}


def test_answers_of_the_expected_shape_pass_the_preflight() -> None:
    page = {"items": [ITEM] * 20, "total": 30, "limit": 20, "offset": 0}
    assert answer_problem("get_by_id", Reply(200, ITEM), SEEDED) is None
    assert answer_problem("list_filtered", Reply(200, page), SEEDED) is None
    assert answer_problem("create", Reply(201, {**ITEM, "id": "other"}), SEEDED) is None


@pytest.mark.parametrize(
    ("route", "reply", "problem"),
    [
        ("get_by_id", Reply(401, None), "answered 401, expected 200"),
        ("create", Reply(200, ITEM), "answered 200, expected 201"),
        ("get_by_id", Reply(200, {**ITEM, "secret": 1}), "the item has keys"),
        ("get_by_id", Reply(200, {**ITEM, "id": "x"}), "not 00000000"),
        ("list_filtered", Reply(200, {"items": [ITEM] * 20, "total": 3}), "matching rows"),
        ("list_filtered", Reply(200, {"items": [ITEM] * 5, "total": 30}), "holds 5 items"),
    ],
)
def test_an_answer_that_differs_is_named(route: str, reply: Reply, problem: str) -> None:
    found = answer_problem(route, reply, SEEDED)
    assert found is not None
    assert problem in found


# the compile and gate parts over fakes


def _unused(*_: object) -> NoReturn:
    raise AssertionError("this part was not asked for")


@pytest.fixture
def scratch() -> list[Path]:
    """The folders the kit hands out, in order."""
    return []


def kit(
    tmp_path: Path,
    made: list[Path],
    launcher: TimedLauncher | None = None,
    gate_tools: object = _unused,
) -> bench_perf.PerfKit:
    numbers = itertools.count()

    @contextmanager
    def folder() -> Iterator[Path]:
        path = tmp_path / f"scratch-{next(numbers)}"
        path.mkdir()
        made.append(path)
        yield path

    def load_tools(_: Path) -> AbstractContextManager[LoadTools]:
        return _unused()

    return bench_perf.PerfKit(
        formatter=PassThroughFormatter(),
        writer=MemoryTreeWriter(),
        launcher=lambda _: launcher or TimedLauncher(lambda _: 0.1),
        deeprun=("deeprun",),
        architecture=ArchitectureTools(MemoryProject(), NoImports(), NoLint()),
        gate_tools=gate_tools,  # type: ignore[arg-type]
        load_tools=load_tools,
        scratch=folder,
        clock=ticking_clock(),
        machine={"cores": 2},
    )


def compile_seconds(argv: Sequence[str]) -> float:
    """`deeprun compile spec-N.json -o out-N-ATTEMPT`: N entities take N / 50 s, the second
    attempt of each size twice as long (the median ignores it)."""
    size, attempt = (int(part) for part in Path(argv[-2]).name.split("-")[1:])
    return size / 50 * (2 if attempt == 1 else 1)


def test_compile_is_timed_in_process_and_end_to_end_for_every_size(
    tmp_path: Path, scratch: list[Path]
) -> None:
    launcher = TimedLauncher(compile_seconds)
    options = bench_perf.PerfOptions(ROOT / "bench" / "perf", frozenset({"compile"}), repeat=3)
    report = bench_perf.run(kit(tmp_path, scratch, launcher), options, lambda _: None)
    assert report.gates is None
    assert report.load is None
    assert report.compile is not None
    assert [t.entities for t in report.compile.stages] == list(perf.ENTITY_SIZES)
    assert report.compile.end_to_end_ms == {1: 20.0, 10: 200.0, 50: 1000.0, 200: 4000.0}
    assert report.compile.growth[1] == 1.0
    assert not report.compile.target_met  # 1000 ms is not under 1000 ms
    assert len(launcher.ran) == 3 * len(perf.ENTITY_SIZES)
    assert all(argv[:2] == ("deeprun", "compile") and argv[-1] == "--json" for argv in launcher.ran)
    body = report.to_dict()
    assert body["machine"] == {"cores": 2}
    assert body["gates"] is None


def test_check_ready_runs_cold_then_warm_on_one_new_cache(
    tmp_path: Path, scratch: list[Path]
) -> None:
    caches: list[Path] = []

    @contextmanager
    def gate_tools(_: Path, cache: Path) -> Iterator[Tools]:
        caches.append(cache)
        yield Tools(
            files=MemoryProject(),
            graph=NoImports(),
            linter=NoLint(),
            sandbox=ScriptedSandbox(),
            installer=FakeInstaller(),
            databases=MemoryDatabases(),
            probe=FakeProbe(),
            fuzzer=FakeFuzzer(),
            containers=NoContainers(),
            free_port=lambda: 8123,
            clock=ticking_clock(),
        )

    options = bench_perf.PerfOptions(ROOT / "bench" / "perf", frozenset({"gates"}))
    report = bench_perf.run(kit(tmp_path, scratch, gate_tools=gate_tools), options, lambda _: None)
    assert report.gates is not None
    assert caches[0] == caches[1]
    assert caches[0] in scratch
    body = report.gates.to_dict()
    rows = body["ready"]
    assert isinstance(rows, list)
    assert [row["gate"] for row in rows][:2] == ["architecture", "install"]
    assert all(row["cold_s"] == row["warm_s"] == 1.0 for row in rows if row["gate"] == "ruff")
    assert body["ready_verdict"] == {"cold": False, "warm": False}  # no container engine
    stages = body["architecture"]
    assert isinstance(stages, list)
    assert [row["stage"] for row in stages] == [
        "read files",
        "import graph",
        "dockerfile lint",
        "rules",
        "total",
    ]
    assert all(row["cold_s"] == 1.0 for row in stages if row["stage"] != "total")


def test_an_unknown_part_is_refused_before_anything_runs(
    tmp_path: Path, scratch: list[Path]
) -> None:
    options = bench_perf.PerfOptions(ROOT / "bench" / "perf", frozenset({"load", "speed"}))
    with pytest.raises(InputError, match="not speed"):
        bench_perf.run(kit(tmp_path, scratch), options, lambda _: None)
    assert scratch == []


# what people read


def test_people_read_every_part_with_its_verdicts() -> None:
    timing = CompileTiming("50 entities", 50, 624, 9.0, 55.0, 380.0, 6.0)
    compiled = bench_perf.CompileReport((timing,), {50: 1340.0})
    cold = Readiness(
        (
            GateResult("mypy", GateStatus.PASSED, 9.9),
            GateResult("ruff", GateStatus.FAILED, 0.1, (Failure("ruff", "RUF012 [x]"),)),
        )
    )
    warm = Readiness(
        (GateResult("mypy", GateStatus.PASSED, 0.5), GateResult("ruff", GateStatus.PASSED, 0.1))
    )
    stages = {"read files": 0.01, "total": 0.01}
    gates = bench_perf.GateReport((stages, stages), (cold, warm), (48.0, 27.0))
    run = LoadFigures(4000, 10.0, 1.0, 2.0, 3.0, 4.0, 0, 0)
    apps = tuple(
        AppRun(name, {"get_by_id": run}, {"get_by_id": 1.0}, None, Memory(90 * 1024, 150 * 1024))
        for name in ("generated", "fastapi", "starlette")
    )
    load = LoadReport("wrk 4.1", {}, LoadOptions(), {}, apps, {"get_by_id": "GET /items/1"})
    report = bench_perf.PerfReport({"cores": 2, "load_average": [0.5]}, compiled, gates, load)
    console = Console(record=True, width=120)
    show_perf_bench(console, report)
    text = console.export_text()
    assert "2 cores" in text
    assert "1,340" in text
    assert "50 entities under 1 s end to end: missed" in text
    assert "cold ruff failed: RUF012 [x]" in text
    assert "ready NO / YES" in text
    assert "generated / fastapi, req/s: get_by_id 100%" in text
    assert "every route: met" in text
