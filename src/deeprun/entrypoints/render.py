"""How results look to people (Rich). Machines read the envelope instead."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.table import Table

from deeprun.contracts.errors import DeeprunError, SpecGenerationError, SpecInvalidError
from deeprun.contracts.gates import Failure, GateStatus, Readiness
from deeprun.contracts.planning import Draft
from deeprun.contracts.problems import Problem
from deeprun.services.bench_compile import CompileTiming
from deeprun.services.bench_inputs import CaseResult
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
