"""The ``deeprun`` command. Each verb reads, calls one service, and finishes one session."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from deeprun.contracts.envelope import Envelope, ErrorInfo
from deeprun.contracts.errors import InputError, SpecInvalidError
from deeprun.contracts.spec_ir import SPEC_VERSIONS
from deeprun.entrypoints.bootstrap import bootstrap
from deeprun.entrypoints.render import show_bench, show_compile_bench, show_compiled, show_valid
from deeprun.entrypoints.session import session
from deeprun.logic.canonical_json import canonical_json, pretty_json
from deeprun.logic.identity import execution_id as derive_execution_id
from deeprun.services import bench_compile as bench_compile_service
from deeprun.services import bench_inputs as bench_inputs_service
from deeprun.services import compiling, specs

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

EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "examples"
Source = Annotated[str, typer.Argument(help="A spec file, or - for standard input.")]
JsonOutput = Annotated[
    bool, typer.Option("--json", help="Print one JSON envelope on stdout; logs go to stderr.")
]
ExecutionId = Annotated[
    str | None, typer.Option("--execution-id", help="Use this id instead of deriving one.")
]


@spec_app.command("validate")
def spec_validate(
    source: Source, json_output: JsonOutput = False, execution_id: ExecutionId = None
) -> None:
    """Review a spec and report every problem at once."""
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
    with session("spec.schema", json_output, execution_id) as run:
        schema = specs.schema(version)
        payload = {"spec_version": version, "schema": schema}
        run.succeed(payload, lambda out: out.out(pretty_json(schema), end=""))


@app.command("compile")
def compile_spec(
    source: Source,
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory to write.")],
    zip_path: Annotated[
        Path | None, typer.Option("--zip", help="Also write the project as this zip file.")
    ] = None,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Compile a spec into a FastAPI + PostgreSQL project (review runs first)."""
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
        run.succeed(payload, lambda out: show_compiled(out, payload))


@bench_app.command("inputs")
def bench_inputs(
    repeat: Annotated[int, typer.Option(min=1, max=100, help="Runs per case.")] = 5,
    json_output: JsonOutput = False,
    execution_id: ExecutionId = None,
) -> None:
    """Time and memory of review on good specs and on input it must refuse."""
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
    with session("bench.compile", json_output, execution_id) as run:
        example = EXAMPLES_DIR / "crm-ten-entities-1.0.json"
        extra = {"crm example": example.read_bytes()} if example.is_file() else {}
        results = bench_compile_service.run(bootstrap().formatter, time.perf_counter, repeat, extra)
        payload = {"cases": [r.to_dict() for r in results], "repeat": repeat}
        run.succeed(payload, lambda out: show_compile_bench(out, results))


def main() -> None:
    """Console entry point: usage errors become ERR_INPUTS envelopes under --json too."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:
        _usage_error(exc)
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error(exc: typer.TyperException) -> None:
    if "--json" not in sys.argv:
        Console(stderr=True).print(f"[bold red]usage:[/] {exc.format_message()} (see --help)")
        return
    command = ".".join(a for a in sys.argv[1:3] if not a.startswith("-")) or "deeprun"
    error = ErrorInfo(InputError.code, exc.format_message())
    envelope = Envelope(command, derive_execution_id(command, b""), error=error)
    sys.stdout.write(canonical_json(envelope.to_json()) + "\n")
