"""``check ready``: the gates of BACKEND_CONTRACT.md "Readiness", in order, each timed (the
project's tests run beside boot and fuzz unless failing fast).

The project is copied into a working folder first, so no tool writes into the user's files.
A gate that cannot run is skipped with its reason (a failure unless the caller allowed that
skip by name); a gate whose prerequisite failed is not run, saying which. Databases, servers and
containers a gate starts are ended when the run ends, whatever happened.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from deeprun.contracts.errors import GateError
from deeprun.contracts.gates import GATES, GateResult, GateStatus, Readiness
from deeprun.services.gate_steps import STEPS, Outcome, Policy, Run, Tools

REQUIRES: dict[str, tuple[str, ...]] = {
    "ruff": ("install",),
    "mypy": ("install",),
    "imports": ("install",),
    "migrations": ("install",),
    "tests": ("install",),
    "boot": ("install",),
    "fuzz": ("install",),  # and a server that booted, even if its auth flow then failed
    "container": ("install",),
}


# Runs in a thread beside the gates that follow it (its own database and processes): the
# project's tests and the boot + fuzz pair are the two long gates, and they share nothing.
# With fail fast everything runs in order, so the first failure stops the rest.
BESIDE = frozenset({"tests"})


def check_ready(
    root: Path, workdir: Path, tools: Tools, policy: Policy, progress: Callable[[str], None]
) -> Readiness:
    unknown = policy.allowed_skips - set(GATES)
    if unknown:
        raise GateError(f"--allow-skip names no gate: {', '.join(sorted(unknown))}")
    project = workdir / "project"
    tools.files.copy(root, project)
    results: dict[str, GateResult] = {}
    beside: dict[str, Future[GateResult]] = {}
    with ExitStack() as cleanup, ThreadPoolExecutor(max_workers=1) as pool:
        run = Run(project, tools, cleanup, policy)
        for gate in GATES:
            progress(gate)
            if gate in BESIDE and not policy.fail_fast:
                beside[gate] = pool.submit(_gate, gate, run, dict(results), policy)
            else:
                results[gate] = _gate(gate, run, results, policy)
        results.update((gate, future.result()) for gate, future in beside.items())
    return Readiness(tuple(results[gate] for gate in GATES), policy.allowed_skips)


def _gate(gate: str, run: Run, done: dict[str, GateResult], policy: Policy) -> GateResult:
    blocked = next(
        (g for g in REQUIRES.get(gate, ()) if done[g].status is not GateStatus.PASSED), None
    )
    if blocked is not None:
        return GateResult(gate, GateStatus.NOT_RUN, 0.0, reason=f"the {blocked} gate did not pass")
    failed = next((g for g in done.values() if g.status is GateStatus.FAILED), None)
    if policy.fail_fast and failed is not None:
        return GateResult(
            gate, GateStatus.NOT_RUN, 0.0, reason=f"{failed.gate} failed first (fail fast)"
        )
    started = run.tools.clock()
    try:
        outcome = STEPS[gate](run)
    except GateError as exc:
        outcome = Outcome.failed(reason=exc.message)
    return GateResult(
        gate,
        outcome.status,
        run.tools.clock() - started,
        outcome.failures,
        outcome.evidence,
        outcome.reason,
    )
