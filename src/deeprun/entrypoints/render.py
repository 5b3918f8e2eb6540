"""How results look to people (Rich). Machines read the envelope instead."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from deeprun.contracts.errors import DeeprunError, SpecGenerationError, SpecInvalidError
from deeprun.contracts.gates import Failure, GateStatus, Readiness
from deeprun.contracts.planning import Draft
from deeprun.contracts.problems import Problem

if TYPE_CHECKING:  # the reports' types only: every command shows errors, few run a bench
    from deeprun.logic.reliability import CaseRun, Reliability
    from deeprun.services.bench_compile import CompileTiming
    from deeprun.services.bench_inputs import CaseResult
    from deeprun.services.bench_load import LoadReport
    from deeprun.services.bench_perf import CompileReport, GateReport, PerfReport
    from deeprun.services.bench_planner import PlannerBench

_STATUS_STYLE = {
    GateStatus.PASSED: "[green]passed[/]",
    GateStatus.FAILED: "[bold red]failed[/]",
    GateStatus.SKIPPED: "[yellow]skipped[/]",
    GateStatus.NOT_RUN: "[dim]not run[/]",
}


def show_error(console: Console, error: DeeprunError) -> None:
    console.print(f"[bold red]✗ {error.code.value}[/]: {error.message}")
    if isinstance(error, SpecInvalidError):
        show_problems(console, error.problems)
    if isinstance(error, SpecGenerationError):
        for attempt in error.attempts:
            console.print(f"answer {attempt.number}:")
            show_problems(console, attempt.problems)
        for phrase in error.ignored:
            console.print(f"  [yellow]ignored:[/] {phrase}")


def show_problems(console: Console, problems: tuple[Problem, ...]) -> None:
    table = Table(show_edge=False, header_style="bold")
    for column in ("code", "path", "message"):
        table.add_column(column, overflow="fold")
    for problem in problems:
        table.add_row(problem.code.value, problem.path or "/", problem.message)
    console.print(table)


def show_valid(console: Console, source: str, version: str, spec_hash: str) -> None:
    console.print(f"[bold green]✓[/] {source} is a valid spec {version} ({spec_hash})")


def show_compiled(console: Console, payload: Mapping[str, object]) -> None:
    upgrade = payload.get("upgrade")
    if isinstance(upgrade, Mapping):
        _show_upgrade(console, payload, upgrade)
        return
    console.print(
        f"[bold green]✓[/] wrote {payload['files_written']} files to {payload['output']}"
        + (f" and {payload['zip']}" if payload["zip"] else "")
    )
    console.print(f"  tree {payload['tree_hash']}  spec {payload['spec_hash']}")
    console.print(f"  next: cd {payload['output']} && uv sync && uv run pytest")


_UPGRADE_STYLES = {
    "added": "green", "replaced": "green", "merged": "cyan", "conflicted": "bold red",
    "kept": "yellow", "removed": "dim", "orphaned": "yellow",
}  # fmt: skip


def _show_upgrade(
    console: Console, payload: Mapping[str, object], upgrade: Mapping[str, object]
) -> None:
    mark = "[bold red]✗[/]" if upgrade["conflicted"] else "[bold green]✓[/]"
    console.print(f"{mark} upgraded {payload['output']}: {upgrade['changes']} changes")
    for outcome, style in _UPGRADE_STYLES.items():
        paths = upgrade[outcome]
        if isinstance(paths, list) and paths:
            console.print(f"  [{style}]{outcome:<10}[/] {len(paths):>3}  {', '.join(paths)}")
    if upgrade["revision"]:
        console.print(f"  migration  {upgrade['revision']}")
    for title, key, style in (
        ("destructive", "destructive", "red"),
        ("warning", "warnings", "yellow"),
    ):
        notes = upgrade[key]
        for note in notes if isinstance(notes, list) else ():
            console.print(f"  [{style}]{title}[/]  {note}")
    console.print(f"  tree {payload['tree_hash']}  spec {payload['spec_hash']}")


def show_compile_bench(console: Console, results: list[CompileTiming]) -> None:
    table = Table(show_edge=False, header_style="bold")
    columns = (
        "case",
        "entities",
        "files",
        "review ms",
        "plan ms",
        "format ms",
        "seal ms",
        "total ms",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "case" else "right")
    for r in results:
        figures = (r.review_ms, r.plan_ms, r.format_ms, r.seal_ms, r.total_ms)
        table.add_row(r.name, str(r.entities), str(r.files), *(f"{f:,.1f}" for f in figures))
    console.print(table)


def show_perf_bench(console: Console, report: PerfReport) -> None:
    machine = report.machine
    load = machine.get("load_average")
    console.print(
        f"[bold]machine:[/] {machine.get('cores')} cores, Python {machine.get('python')}, "
        f"{machine.get('system')}, load average {load} at the start"
    )
    if report.compile is not None:
        _show_perf_compile(console, report.compile)
    if report.gates is not None:
        _show_perf_gates(console, report.gates)
    if report.load is not None:
        _show_perf_load(console, report.load)


def _show_perf_compile(console: Console, compiled: CompileReport) -> None:
    table = Table(title="compile, medians (ms)", show_edge=False, header_style="bold")
    columns = ("entities", "files", "review", "plan", "format", "seal", "in process", "end to end")
    for column in columns:
        table.add_column(column, justify="right")
    for t in compiled.stages:
        figures = (t.review_ms, t.plan_ms, t.format_ms, t.seal_ms, t.total_ms)
        e2e = compiled.end_to_end_ms.get(t.entities)
        end = f"{e2e:,.0f}" if e2e is not None else "-"
        table.add_row(str(t.entities), str(t.files), *(f"{f:,.1f}" for f in figures), end)
    console.print(table)
    in_process, end_to_end = compiled.growth
    met = "[green]met[/]" if compiled.target_met else "[bold red]missed[/]"
    console.print(
        f"time per entity at 200 entities over 10: {in_process} in process, {end_to_end} end "
        f"to end; 50 entities under 1 s end to end: {met}"
    )


def _show_perf_gates(console: Console, gates: GateReport) -> None:
    from deeprun.services.bench_perf import COLD_MEANS

    table = Table(title="check architecture (s)", show_edge=False, header_style="bold")
    for column in ("stage", "first", "second"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    first, second = gates.architecture
    for stage, seconds in first.items():
        table.add_row(stage, f"{seconds:.3f}", f"{second[stage]:.3f}")
    console.print(table)
    table = Table(title="check ready (s)", show_edge=False, header_style="bold")
    for column in ("gate", "cold", "warm", "status cold / warm"):
        table.add_column(column, justify="right" if column in ("cold", "warm") else "left")
    cold, warm = gates.ready
    for before, after in zip(cold.gates, warm.gates, strict=True):
        status = f"{before.status.value} / {after.status.value}"
        table.add_row(before.gate, f"{before.seconds:.2f}", f"{after.seconds:.2f}", status)
    walls = (f"{seconds:.2f}" for seconds in gates.ready_seconds)
    table.add_row("[bold]wall clock[/]", *walls, f"ready {_yes(cold.ready)} / {_yes(warm.ready)}")
    console.print(table)
    for label, verdict in (("cold", cold), ("warm", warm)):
        for gate in verdict.gates:
            why = gate.reason or (gate.failures[0].message if gate.failures else None)
            if why and gate.status is not GateStatus.PASSED:
                console.print(f"  {label} {gate.gate} {gate.status.value}: {escape(why)}")
    console.print(f"cold: {COLD_MEANS}")


def _show_perf_load(console: Console, load: LoadReport) -> None:
    options = load.options
    console.print(
        f"[bold]load:[/] {load.generator}, {options.connections} connections, "
        f"{options.threads} thread(s), {options.seconds} s per run after {options.warmup} s of "
        f"warm-up, {options.rows:,} rows per table; one uvicorn worker each on 127.0.0.1"
    )
    table = Table(show_edge=False, header_style="bold")
    for column in ("route", "app", "req/s", "p50 ms", "p99 ms", "cpu ms/req", "errors", "MiB"):
        table.add_column(column, justify="left" if column in ("route", "app") else "right")
    for route in load.targets:
        for app in load.apps:
            f, cpu = app.routes[route], app.cpu_ms.get(route)
            errors = f.non_2xx + f.socket_errors
            table.add_row(
                route if app is load.apps[0] else "",
                app.name,
                f"{f.per_second:,.0f}",
                f"{f.p50_ms:.1f}",
                f"{f.p99_ms:.1f}",
                f"{cpu:.2f}" if cpu is not None else "-",
                f"[bold red]{errors}[/]" if errors else "0",
                _mib(app.loaded.rss_kib if app.loaded else None),
            )
    console.print(table)
    for reference in ("fastapi", "starlette"):
        for what, ratios in (("req/s", load.ratios), ("per cpu second", load.cpu_ratios)):
            shares = ", ".join(f"{r} {_share(share.get(reference))}" for r, share in ratios.items())
            console.print(f"generated / {reference}, {what}: {shares}")
    missed = ", ".join(load.missed)
    verdict = f"[bold red]missed on {missed}[/]" if missed else "[green]met[/]"
    console.print(f"generated at least 70% of the FastAPI reference on every route: {verdict}")


def _share(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else ""


def _mib(kib: int | None) -> str:
    return f"{kib / 1024:,.0f}" if kib is not None else "-"


def _yes(ready: bool) -> str:
    return "YES" if ready else "NO"


def show_bench(console: Console, results: list[CaseResult]) -> None:
    table = Table(show_edge=False, header_style="bold")
    for column in ("case", "input bytes", "outcome", "median ms", "peak KiB"):
        table.add_column(column, justify="left" if column in ("case", "outcome") else "right")
    for r in results:
        table.add_row(
            r.name, f"{r.input_bytes:,}", r.outcome, f"{r.median_ms:,.2f}", f"{r.peak_kib:,}"
        )
    console.print(table)


def show_failures(console: Console, failures: tuple[Failure, ...]) -> None:
    table = Table(show_edge=False, header_style="bold")
    for column in ("code", "where", "message", "fix"):
        table.add_column(column, overflow="fold")
    for f in failures:
        where = f"{f.file or ''}{f':{f.line}' if f.line else ''}"
        code = f.code + (f" {f.tool_code}" if f.tool_code else "")
        style = "red" if f.severity.value == "error" else "yellow"
        table.add_row(f"[{style}]{code}[/]", where, f.message, f.hint or "")
    console.print(table)


def show_architecture(console: Console, root: str, failures: tuple[Failure, ...]) -> None:
    errors = sum(f.severity.value == "error" for f in failures)
    if failures:
        show_failures(console, failures)
    mark = "[bold green]✓[/]" if not errors else "[bold red]✗[/]"
    console.print(f"{mark} {root}: {errors} errors, {len(failures) - errors} warnings")


def show_readiness(console: Console, root: str, readiness: Readiness) -> None:
    table = Table(show_edge=False, header_style="bold")
    for column in ("gate", "status", "seconds", "detail"):
        table.add_column(column, justify="right" if column == "seconds" else "left")
    for gate in readiness.gates:
        detail = gate.reason or ", ".join(f"{k} {v}" for k, v in gate.evidence.items())
        status = _STATUS_STYLE[gate.status]
        if gate.status is GateStatus.SKIPPED and gate.gate in readiness.allowed_skips:
            status += " (allowed)"
        table.add_row(gate.gate, status, f"{gate.seconds:.2f}", detail)
    console.print(table)
    blocking = tuple(f for g in readiness.blocking() for f in g.failures)
    if blocking:
        show_failures(console, blocking)
    verdict = "[bold green]YES[/]" if readiness.ready else "[bold red]NO[/]"
    console.print(f"ready: {verdict}  ({root})")


def show_ignored(console: Console, draft: Draft) -> None:
    """What the planner did not use, so nobody believes a phrase was honoured when it was not."""
    entities = ", ".join(e["name"] for e in draft.canonical["entities"])
    console.print(f"[bold green]✓[/] spec by {draft.provider}/{draft.model}: {entities}")
    for phrase in draft.ignored:
        console.print(f"  [yellow]ignored:[/] {phrase}")


def show_planner_bench(console: Console, result: PlannerBench) -> None:
    table = Table(show_edge=False, header_style="bold")
    for column in ("dimension", "expected", "found", "hits", "recall", "precision"):
        table.add_column(column, justify="left" if column == "dimension" else "right")
    for name, tally in result.totals.items():
        table.add_row(
            name,
            str(tally.expected),
            str(tally.found),
            str(tally.hits),
            f"{tally.recall:.1%}",
            f"{tally.precision:.1%}",
        )
    console.print(table)
    console.print(
        f"{result.provider}/{result.model}: {len(result.cases)} cases, "
        f"{result.reviewed} passed review, auth right in {result.auth_accuracy:.1%}"
    )


def show_reliability_case(console: Console, number: int, count: int, run: CaseRun) -> None:
    """One line per case as the bench goes."""
    from deeprun.logic.reliability import NO_ENGINE

    where = f"{escape(run.case)} [dim]({run.lane}, iteration {run.iteration})[/]"
    took = f"{run.total:.1f} s"
    if run.passed:
        note = f"  container: {NO_ENGINE}" if run.container == NO_ENGINE else ""
        console.print(f"{number}/{count} [bold green]✓[/] {where} {took}{note}")
        return
    console.print(
        f"{number}/{count} [bold red]✗[/] {where} {took}, failed at [bold]{run.stage}[/]"
        f"{_first_failure(run, 160)}"
    )


def _first_failure(run: CaseRun, width: int) -> str:
    if not run.failures:
        return ""
    first = run.failures[0]
    where = f" {first.file}{f':{first.line}' if first.line else ''}" if first.file else ""
    text = f"{first.code}{where}: {first.message}".replace("\n", " ")
    return ": " + escape(text if len(text) <= width else text[: width - 1] + "…")


def show_reliability_bench(console: Console, report: Reliability) -> None:
    from deeprun.logic.reliability import NO_ENGINE, histogram

    table = Table(show_edge=False, header_style="bold")
    for column in ("case", "lane", "iter", "result", "failed at", "seconds", "first failure"):
        table.add_column(column, justify="right" if column in ("iter", "seconds") else "left")
    for run in report.runs:
        result = "[green]passed[/]" if run.passed else "[bold red]failed[/]"
        if run.passed and run.container == NO_ENGINE:
            result += " [yellow](container: no engine)[/]"
        table.add_row(
            escape(run.case),
            run.lane,
            str(run.iteration),
            result,
            run.stage or "",
            f"{run.total:.1f}",
            _first_failure(run, 100).removeprefix(": "),
        )
    console.print(table)
    for lane, tally in report.lanes().items():
        if tally.runs:
            rate = tally.pass_rate or 0.0
            console.print(f"{lane} lane: {tally.passed}/{tally.runs} passed ({rate:.1%})")
    failed_at = histogram(report.runs)
    if failed_at:
        console.print("failed at: " + ", ".join(f"{k} {v}" for k, v in failed_at.items()))
    v = report.versions
    console.print(
        f"deeprun {v['generator']}, template {v['template']}, planner {v['provider']}/"
        f"{v['model']}, python {v['python']}"
        + (f"; no container engine: {report.engine_missing}" if report.engine_missing else "")
    )
    totals = report.totals
    mark = "[bold green]✓[/]" if totals.failed == 0 else "[bold red]✗[/]"
    console.print(
        f"{mark} pass rate {report.pass_rate:.1%} ({totals.passed}/{totals.runs}) "
        f"in {report.seconds:.1f} s"
    )
