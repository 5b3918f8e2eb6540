"""The ``deeprun`` command. Each verb reads, calls one service, and finishes one session.

A process runs one verb, so each verb imports the services it calls in its own body: ``deeprun
compile`` should not load the gates, benches and planners of the other verbs (a third of a second).
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import structlog
import typer
from rich.console import Console

from deeprun.contracts.envelope import Envelope, ErrorInfo
from deeprun.contracts.errors import (
    ArchitectureError,
    BenchBelowTargetError,
    InputError,
    MergeConflictError,
    NotReadyError,
    SpecInvalidError,
)
from deeprun.contracts.gates import FUZZ_EXAMPLES, GATES, Readiness
from deeprun.contracts.planning import PROVIDERS, Draft
from deeprun.contracts.spec_ir import SPEC_VERSIONS
from deeprun.entrypoints.bootstrap import (
    architecture_tools,
    bootstrap,
    container_engine,
    container_required,
    gate_tools,
    perf_kit,
    prompt_agent,
    reliability_kit,
)
from deeprun.entrypoints.inputs import read_source
from deeprun.entrypoints.outputs import write_text
from deeprun.entrypoints.render import (
    show_architecture,
    show_bench,
    show_compile_bench,
    show_compiled,
    show_ignored,
    show_perf_bench,
    show_planner_bench,
    show_readiness,
    show_reliability_bench,
    show_reliability_case,
    show_valid,
)
from deeprun.entrypoints.session import Session, session
from deeprun.logic.canonical_json import canonical_bytes, canonical_json, pretty_json
from deeprun.logic.identity import execution_id as derive_execution_id

if TYPE_CHECKING:
    from deeprun.logic.reliability import CaseRun
    from deeprun.services.bench_reliability import Case, Progress
    from deeprun.services.gate_steps import Policy

log = structlog.get_logger("deeprun.cli")
app = typer.Typer(
    name="deeprun",
    help="A deterministic backend compiler: a spec in, a FastAPI + PostgreSQL project out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
spec_app = typer.Typer(
    help="Validate, normalize and describe Spec IR documents.", no_args_is_help=True
)
app.add_typer(spec_app, name="spec")
bench_app = typer.Typer(help="Benchmarks whose figures go into notes.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
check_app = typer.Typer(help="Gates that prove a generated project ready.", no_args_is_help=True)
app.add_typer(check_app, name="check")

REPO = Path(__file__).resolve().parents[3]
EXAMPLES_DIR = REPO / "examples"
PLANNER_CORPUS = REPO / "bench" / "planner" / "cases"
RELIABILITY_CORPUS = REPO / "bench" / "corpus"
Source = Annotated[str, typer.Argument(help="A spec file, or - for standard input.")]
JsonOutput = Annotated[
    bool, typer.Option("--json", help="Print one JSON envelope on stdout; logs go to stderr.")
]
ProjectDir = Annotated[
    Path, typer.Argument(help="A generated project folder.", file_okay=False, exists=False)
]
ExecutionId = Annotated[
    str | None, typer.Option("--execution-id", help="Use this id instead of deriving one.")
]
Prompt = Annotated[
    str, typer.Argument(help="The backend in words, quoted; - reads it from standard input.")
]
ZipPath = Annotated[
    Path | None, typer.Option("--zip", help="Also write the project as this zip file.")
]
AllowSkip = Annotated[
    list[str] | None,
    typer.Option("--allow-skip", help=f"A gate that may be skipped: {', '.join(GATES)}."),
]
FuzzExamples = Annotated[
    int, typer.Option(min=1, max=1000, help="Fuzz cases per operation and phase.")
]
Provider = Annotated[
    str | None,
    typer.Option(
        "--provider",
        envvar="DEEPRUN_PROVIDER",
        help=f"Who turns words into a spec: {', '.join(PROVIDERS)} (default offline).",
    ),
]
Model = Annotated[
    str | None,
    typer.Option("--model", envvar="DEEPRUN_MODEL", help="The provider's model name."),
]


@spec_app.command("validate")
def spec_validate(
    source: Source, json_output: JsonOutput = False, execution_id: ExecutionId = None
) -> None:
    """Review a spec and report every problem at once."""
    from deeprun.services import specs

    with session("spec.validate", json_output, execution_id) as run:
        result = specs.validate(run.read(source))
        payload = {**result.summary(), "problems": [p.to_dict() for p in result.problems]}
        if result.spec_hash is None:
            run.fail(SpecInvalidError(result.problems), payload)
        spec_hash = result.spec_hash
        run.succeed(payload, lambda out: show_valid(out, source, result.version, spec_hash))


@spec_app.command("normalize")
def spec_normalize(
    source: Source, json_output: JsonOutput = False, execution_id: ExecutionId = None
) -> None:
    """Print the canonical IR of a valid spec (sorted keys, defaults explicit)."""
    from deeprun.services import specs

    with session("spec.normalize", json_output, execution_id) as run:
        result = specs.normalize(run.read(source))
        payload = {**result.summary(), "spec": result.canonical}
        run.succeed(payload, lambda out: out.out(canonical_json(result.canonical), end="\n"))


@spec_app.command("schema")
def spec_schema(
    version: Annotated[str, typer.Option("--version", help="Spec version.")] = SPEC_VERSIONS[-1],
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Print the JSON Schema of a Spec IR version."""
    from deeprun.services import specs

    with session("spec.schema", json_output, execution_id) as run:
        schema = specs.schema(version)
        payload = {"spec_version": version, "schema": schema}
        run.succeed(payload, lambda out: out.out(pretty_json(schema), end=""))


@spec_app.command("from-prompt")
def spec_from_prompt(
    prompt: Prompt,
    provider: Provider = None,
    model: Model = None,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Turn a description into a reviewed spec and print it (the ignored phrases go to stderr)."""
    with session("spec.from-prompt", json_output, execution_id) as run:
        draft = _plan(run, prompt, provider, model)
        payload = {**draft.summary(), "spec": draft.canonical}

        def show(out: Console) -> None:
            out.out(pretty_json(draft.canonical), end="")
            show_ignored(run.err, draft)

        run.succeed(payload, show)


@app.command("new")
def new(  # noqa: PLR0917 - Typer passes options positionally
    prompt: Prompt,
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory to write.")],
    provider: Provider = None,
    model: Model = None,
    check: Annotated[
        bool, typer.Option("--check", help="Then run every readiness gate on the project.")
    ] = False,
    allow_skip: AllowSkip = None,
    fuzz_examples: FuzzExamples = FUZZ_EXAMPLES,
    zip_path: ZipPath = None,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Prompt to project: plan a spec, review it, compile it (and with --check, prove it ready)."""
    from deeprun.services import compiling
    from deeprun.services.gate_steps import Policy

    with session("new", json_output, execution_id) as run:
        draft = _plan(run, prompt, provider, model)
        _step(run, "compiling")
        adapters = bootstrap()
        compiled = compiling.compile_to(
            canonical_bytes(draft.canonical),
            output,
            zip_path,
            formatter=adapters.formatter,
            writer=adapters.writer,
        )
        payload: dict[str, object] = {
            **draft.summary(),
            **compiled.summary(),
            "output": str(output),
            "zip": str(zip_path) if zip_path is not None else None,
            "spec": draft.canonical,
        }

        def show(out: Console) -> None:
            show_ignored(out, draft)
            show_compiled(out, payload)

        if not check:
            run.succeed(payload, show)
        policy = Policy(frozenset(allow_skip or ()), fuzz_examples=fuzz_examples)
        verdict = _readiness(run, output.resolve(), policy)
        payload["readiness"] = verdict.to_dict()

        def show_checked(out: Console) -> None:
            show(out)
            show_readiness(out, str(output), verdict)

        if not verdict.ready:
            names = ", ".join(g.gate for g in verdict.blocking())
            run.fail(NotReadyError(f"not ready: {names}"), payload, show_checked)
        run.succeed(payload, show_checked)


def _plan(run: Session, prompt: str, provider: str | None, model: str | None) -> Draft:
    """Reads the prompt (``-``: standard input), then plans and reviews a spec from it."""
    if prompt == "-":
        try:
            prompt = run.read(prompt).decode()
        except UnicodeDecodeError as exc:
            raise InputError("the prompt on standard input is not UTF-8 text") from exc
    run.identify(canonical_bytes({"prompt": prompt, "provider": provider, "model": model}))
    agent = prompt_agent(provider, model)
    _step(run, f"planning ({agent.provider}/{agent.model_name})")
    draft = agent.run(prompt)
    log.info("planner.done", provider=draft.provider, model=draft.model, ignored=len(draft.ignored))
    return draft


def _step(run: Session, what: str) -> None:
    log.info("step.start", step=what)
    if not run.json_output:
        run.err.print(f"[dim]… {what}[/]")


@app.command("compile")
def compile_spec(  # noqa: PLR0917 - Typer passes options positionally
    source: Source,
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory to write.")],
    zip_path: ZipPath = None,
    accept_conflicts: Annotated[
        bool,
        typer.Option(
            "--accept-conflicts", help="Upgrading: succeed even when edited files hold conflicts."
        ),
    ] = False,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Compile a spec into a FastAPI + PostgreSQL project (review runs first). Onto a project
    deeprun generated, upgrade it: your edits are merged, the next migration is written."""
    from deeprun.services import compiling

    with session("compile", json_output, execution_id) as run:
        adapters = bootstrap()
        compiled = compiling.compile_to(
            run.read(source),
            output,
            zip_path,
            formatter=adapters.formatter,
            writer=adapters.writer,
        )
        payload = {
            **compiled.summary(),
            "output": str(output),
            "zip": str(zip_path) if zip_path is not None else None,
        }
        show = lambda out: show_compiled(out, payload)  # noqa: E731
        conflicts = compiled.upgrade.conflicts if compiled.upgrade else ()
        if conflicts and not accept_conflicts:
            run.fail(MergeConflictError(conflicts), payload, show)
        run.succeed(payload, show)


@check_app.command("architecture")
def check_architecture(
    root: ProjectDir, json_output: JsonOutput = False, execution_id: ExecutionId = None
) -> None:
    """Static rules: structure, layers, module isolation, cycles, code, security, Dockerfile."""
    from deeprun.services import architecture

    with session("check.architecture", json_output, execution_id) as run:
        folder = _project_folder(root)
        run.identify(str(folder).encode())
        report = architecture.check(folder, architecture_tools())
        payload = {"project": str(root), **report.summary()}
        show = lambda out: show_architecture(out, str(root), report.failures)  # noqa: E731
        if report.errors:
            count = len(report.errors)
            error = ArchitectureError(f"{count} architecture violation{'s' * (count != 1)}")
            run.fail(error, payload, show)
        run.succeed(payload, show)


@check_app.command("ready")
def check_ready(  # noqa: PLR0917 - Typer passes options positionally
    root: ProjectDir,
    allow_skip: AllowSkip = None,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="Skip the remaining gates after a failure.")
    ] = False,
    fuzz_examples: FuzzExamples = FUZZ_EXAMPLES,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """The v1-ready verdict: every gate runs for real; YES only if all pass."""
    from deeprun.services.gate_steps import Policy

    with session("check.ready", json_output, execution_id) as run:
        folder = _project_folder(root)
        run.identify(str(folder).encode())
        policy = Policy(frozenset(allow_skip or ()), fail_fast, fuzz_examples)
        verdict = _readiness(run, folder, policy)
        payload = {"project": str(root), **verdict.to_dict()}
        show = lambda out: show_readiness(out, str(root), verdict)  # noqa: E731
        if not verdict.ready:
            names = ", ".join(g.gate for g in verdict.blocking())
            run.fail(NotReadyError(f"not ready: {names}"), payload, show)
        run.succeed(payload, show)


def _readiness(run: Session, folder: Path, policy: Policy) -> Readiness:
    from deeprun.services import readiness

    with (
        tempfile.TemporaryDirectory(prefix="deeprun-ready-") as work,
        gate_tools(Path(work)) as tools,
    ):
        return readiness.check_ready(folder, Path(work), tools, policy, _announce(run))


def _project_folder(root: Path) -> Path:
    if not root.is_dir():
        raise InputError(f"{root} is not a folder")
    return root.resolve()


def _announce(run: Session) -> Callable[[str], None]:
    return lambda gate: _step(run, gate)


@bench_app.command("inputs")
def bench_inputs(
    repeat: Annotated[int, typer.Option(min=1, max=100, help="Runs per case.")] = 5,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Time and memory of review on good specs and on input it must refuse."""
    from deeprun.services import bench_inputs as bench_inputs_service

    with session("bench.inputs", json_output, execution_id) as run:
        results = bench_inputs_service.run(time.perf_counter, repeat)
        payload = {"cases": [r.to_dict() for r in results], "repeat": repeat}
        run.succeed(payload, lambda out: show_bench(out, results))


@bench_app.command("compile")
def bench_compile(
    repeat: Annotated[int, typer.Option(min=1, max=100, help="Runs per case.")] = 5,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Compile time by stage for 1, 10 and 50 entities and the ten-entity example."""
    from deeprun.services import bench_compile as bench_compile_service

    with session("bench.compile", json_output, execution_id) as run:
        example = EXAMPLES_DIR / "crm-ten-entities-1.0.json"
        extra = {"crm example": example.read_bytes()} if example.is_file() else {}
        results = bench_compile_service.run(bootstrap().formatter, time.perf_counter, repeat, extra)
        payload = {"cases": [r.to_dict() for r in results], "repeat": repeat}
        run.succeed(payload, lambda out: show_compile_bench(out, results))


@bench_app.command("perf")
def bench_perf(  # noqa: PLR0917 - Typer passes options positionally
    duration: Annotated[
        int, typer.Option(min=1, max=120, help="Seconds of measured load per app and route.")
    ] = 10,
    connections: Annotated[
        int, typer.Option(min=1, max=256, help="Connections the load generator keeps open.")
    ] = 32,
    threads: Annotated[int, typer.Option(min=1, max=8, help="Load generator threads.")] = 1,
    warmup: Annotated[
        int, typer.Option(min=0, max=60, help="Seconds of load before each measured run.")
    ] = 2,
    rows: Annotated[
        int, typer.Option(min=100, max=1_000_000, help="Rows seeded in each app's table.")
    ] = 10_000,
    repeat: Annotated[int, typer.Option(min=1, max=20, help="Compile runs per size.")] = 3,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Run only this part: compile, gates or load (repeatable)."),
    ] = None,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Compile time by spec size, gate times cold and warm, and the generated API under load
    beside hand-written FastAPI and Starlette references, all in one run."""
    from deeprun.services import bench_perf as bench_perf_service
    from deeprun.services.bench_load import LoadOptions

    with session("bench.perf", json_output, execution_id) as run:
        load = LoadOptions(duration, warmup, connections, threads, rows)
        parts = frozenset(only or bench_perf_service.PARTS)
        options = bench_perf_service.PerfOptions(REPO / "bench" / "perf", parts, repeat, load)
        report = bench_perf_service.run(perf_kit(), options, _announce(run))
        run.succeed(report.to_dict(), lambda out: show_perf_bench(out, report))


@bench_app.command("planner")
def bench_planner(
    corpus: Annotated[
        Path, typer.Option("--corpus", help="A folder of cases (*.json: prompt and expected).")
    ] = PLANNER_CORPUS,
    provider: Provider = None,
    model: Model = None,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Recall and precision of the planner (offline by default) on a corpus of prompts."""
    from deeprun.services import bench_planner as bench_planner_service

    with session("bench.planner", json_output, execution_id) as run:
        if not corpus.is_dir():
            raise InputError(f"{corpus} is not a folder")
        cases = {path.stem: read_source(str(path)) for path in sorted(corpus.glob("*.json"))}
        if not cases:
            raise InputError(f"{corpus} holds no *.json cases")
        run.identify(b"".join(cases.values()))
        result = bench_planner_service.run(cases, prompt_agent(provider, model), time.perf_counter)
        run.succeed(result.to_dict(), lambda out: show_planner_bench(out, result))


@bench_app.command("reliability")
def bench_reliability(  # noqa: PLR0917 - Typer passes options positionally
    corpus: Annotated[
        Path,
        typer.Option("--corpus", help="A folder of cases: *.json specs and *.txt prompts."),
    ] = RELIABILITY_CORPUS,
    iterations: Annotated[
        int, typer.Option(min=1, max=100, help="Runs of the whole corpus, each counted.")
    ] = 1,
    min_pass_rate: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Exit non-zero below this share of runs passing."),
    ] = 0.0,
    output: Annotated[
        Path | None, typer.Option("--output", help="Also write the report as a JSON file.")
    ] = None,
    fuzz_examples: FuzzExamples = FUZZ_EXAMPLES,
    provider: Provider = None,
    model: Model = None,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """How many cases come out ready: plan, review, compile and `check ready`, no reruns."""
    from deeprun.services import bench_reliability as bench_reliability_service

    with session("bench.reliability", json_output, execution_id) as run:
        cases = _reliability_cases(corpus)
        settings_seed = canonical_bytes([iterations, fuzz_examples, provider, model])
        run.identify(
            b"\0".join([settings_seed, *(c.name.encode() + b"\0" + c.data for c in cases)])
        )
        kit = reliability_kit(provider, model)
        settings = bench_reliability_service.Settings(
            iterations, fuzz_examples, container_engine().unavailable(), container_required()
        )
        report = bench_reliability_service.run(cases, kit, settings, _bench_progress(run))
        payload = {**report.to_dict(), "min_pass_rate": min_pass_rate}
        if output is not None:
            write_text(output, pretty_json(payload))
        show = lambda out: show_reliability_bench(out, report)  # noqa: E731
        if not report.meets(min_pass_rate):
            error = BenchBelowTargetError(
                f"pass rate {report.pass_rate:.1%} is below --min-pass-rate {min_pass_rate:.1%}"
            )
            run.fail(error, payload, show)
        run.succeed(payload, show)


def _reliability_cases(corpus: Path) -> list[Case]:
    """The corpus's *.json (spec lane) and *.txt (prompt lane) files, in sorted order."""
    from deeprun.services.bench_reliability import Case

    if not corpus.is_dir():
        raise InputError(f"{corpus} is not a folder")
    lanes = {".json": "spec", ".txt": "prompt"}
    paths = sorted(p for p in corpus.iterdir() if p.suffix in lanes and p.is_file())
    if not paths:
        raise InputError(f"{corpus} holds no *.json or *.txt cases")
    return [Case(p.name, lanes[p.suffix], read_source(str(p))) for p in paths]


def _bench_progress(run: Session) -> Progress:
    from deeprun.services.bench_reliability import Progress

    def started(number: int, count: int, case: Case) -> None:
        _step(run, f"{number}/{count} {case.name} ({case.lane})")

    def finished(number: int, count: int, result: CaseRun) -> None:
        if not run.json_output:
            show_reliability_case(run.err, number, count, result)

    def gate(name: str) -> None:
        log.info("gate.start", gate=name)

    return Progress(started, gate, finished)


def main() -> None:
    """Console entry point: usage errors become ERR_INPUTS envelopes under --json too."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:
        _usage_error(exc)
        code = exc.exit_code
    except typer.Abort:
        code = 130
    gc.freeze()  # the process ends: its teardown need not search every object for cycles (50 ms)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error(exc: typer.TyperException) -> None:
    if "--json" not in sys.argv:
        Console(stderr=True).print(f"[bold red]usage:[/] {exc.format_message()} (see --help)")
        return
    command = ".".join(_command_path(sys.argv[1:])) or "deeprun"
    error = ErrorInfo(InputError.code, exc.format_message())
    envelope = Envelope(command, derive_execution_id(command, b""), error=error)
    sys.stdout.write(canonical_json(envelope.to_json()) + "\n")


def _command_path(args: list[str]) -> list[str]:
    """The verbs at the front of ``args`` ("spec", "from-prompt"), never an argument's text."""
    group: object = typer.main.get_command(app)
    path: list[str] = []
    for arg in args:
        group = getattr(group, "commands", {}).get(arg)
        if group is None:
            break
        path.append(arg)
    return path
