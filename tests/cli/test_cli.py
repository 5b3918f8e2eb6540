"""The deeprun command as users and machines run it: a real subprocess, stdout and stderr apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from deeprun.logic.canonical_json import canonical_json
from tests.specs import EXAMPLES, ROOT, base_11

DEEPRUN = [sys.executable, "-m", "deeprun"]


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return run_with_env({}, *args, stdin=stdin)


def run_with_env(
    extra: dict[str, str], *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **extra}
    env.pop("DEEPRUN_LOG_LEVEL", None)
    return subprocess.run(
        [*DEEPRUN, *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def envelope(result: subprocess.CompletedProcess[bytes]) -> dict[str, Any]:
    """Exactly one canonical JSON line on stdout."""
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 1, result.stdout
    parsed: dict[str, Any] = json.loads(lines[0])
    assert lines[0] == canonical_json(parsed)
    return parsed


def log_lines(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stderr.decode().splitlines()]


def test_validate_a_valid_spec_with_json_gives_a_success_envelope() -> None:
    result = run("spec", "validate", str(EXAMPLES / "blog-1.1.json"), "--json")
    body = envelope(result)
    assert result.returncode == 0
    assert body["status"] == "success"
    assert body["problems"] == []
    assert body["spec_hash"].startswith("sha256:")
    events = [line["event"] for line in log_lines(result)]
    assert events == ["command.start", "input.read", "command.end"]


def test_validate_an_invalid_spec_lists_every_problem_and_exits_non_zero() -> None:
    document = base_11()
    document["entities"][0]["fields"][1]["name"] = "select"
    document["entities"][1]["colour"] = "red"
    result = run("spec", "validate", "-", "--json", stdin=json.dumps(document).encode())
    body = envelope(result)
    assert result.returncode == 1
    assert body["error"]["code"] == "ERR_SPEC_INVALID"
    assert body["problems"] == [
        {
            "code": "SPEC_RESERVED_NAME",
            "path": "/entities/0/fields/1/name",
            "message": "field name 'select' is a PostgreSQL reserved key word",
        },
        {
            "code": "SPEC_UNKNOWN_KEY",
            "path": "/entities/1/colour",
            "message": "unknown key 'colour'",
        },
    ]


@pytest.mark.parametrize(
    "stdin",
    [
        b"\x00\x01\x02binary",
        b"{not json",
        b"\xff\xfe",
        b"[" * 50_000,
        b" " * (5 * 1024 * 1024 + 1),
    ],
    ids=["binary", "not json", "not utf-8", "deep", "too large"],
)
def test_unreadable_input_is_err_inputs_and_never_a_traceback(stdin: bytes) -> None:
    result = run("spec", "validate", "-", "--json", stdin=stdin)
    assert result.returncode == 1
    assert envelope(result)["error"]["code"] == "ERR_INPUTS"
    assert b"Traceback" not in result.stderr


def test_a_missing_file_and_a_directory_are_err_inputs(tmp_path: Path) -> None:
    for source in (str(tmp_path / "missing.json"), str(tmp_path)):
        result = run("spec", "validate", source, "--json")
        assert result.returncode == 1
        assert envelope(result)["error"]["code"] == "ERR_INPUTS"


def test_hundreds_of_thousands_of_entities_are_refused_as_a_limit() -> None:
    entity = {"name": "E", "fields": [{"name": "id", "type": "uuid", "primary_key": True}]}
    document = {**base_11(), "entities": [entity] * 300_000}
    data = json.dumps(document, separators=(",", ":")).encode()
    if len(data) > 5 * 1024 * 1024:
        data = data[: data.index(b"]}", 4 * 1024 * 1024) + 2] + b"]}"
    result = run("spec", "validate", "-", "--json", stdin=data)
    body = envelope(result)
    assert body["error"]["code"] in ("ERR_SPEC_INVALID", "ERR_INPUTS")
    if body["error"]["code"] == "ERR_SPEC_INVALID":
        assert body["problems"][0]["code"] == "SPEC_LIMIT"


def test_normalize_prints_the_canonical_ir_and_is_deterministic() -> None:
    source = str(EXAMPLES / "blog-1.1.json")
    first, second = run("spec", "normalize", source), run("spec", "normalize", source)
    assert first.returncode == 0
    assert first.stdout == second.stdout
    canonical = json.loads(first.stdout)
    assert first.stdout.decode() == canonical_json(canonical) + "\n"
    again = run("spec", "normalize", "-", stdin=first.stdout)
    assert again.stdout == first.stdout


def test_normalize_of_an_invalid_spec_is_an_error_envelope() -> None:
    result = run("spec", "normalize", "-", "--json", stdin=b'{"spec_version": "1.1"}')
    body = envelope(result)
    assert result.returncode == 1
    assert body["error"]["code"] == "ERR_SPEC_INVALID"
    assert body["problems"]


def test_the_same_command_on_the_same_input_gives_the_same_envelope() -> None:
    source = str(EXAMPLES / "shop-1.0.json")
    first = run("spec", "validate", source, "--json")
    second = run("spec", "validate", source, "--json")
    assert first.stdout == second.stdout
    supplied = run("spec", "validate", source, "--json", "--execution-id", "run-7")
    assert envelope(supplied)["execution_id"] == "run-7"


def test_the_execution_id_follows_the_input_bytes_not_the_path(tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_bytes((EXAMPLES / "shop-1.0.json").read_bytes())
    original = envelope(run("spec", "validate", str(EXAMPLES / "shop-1.0.json"), "--json"))
    same_bytes = envelope(run("spec", "validate", str(copy), "--json"))
    assert same_bytes["execution_id"] == original["execution_id"]
    copy.write_bytes(copy.read_bytes() + b"\n")
    changed = envelope(run("spec", "validate", str(copy), "--json"))
    assert changed["execution_id"] != original["execution_id"]


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_schema_prints_the_committed_schema(version: str) -> None:
    result = run("spec", "schema", "--version", version)
    assert result.returncode == 0
    assert result.stdout == (ROOT / "schemas" / f"spec-{version}.schema.json").read_bytes()


def test_an_unknown_schema_version_is_err_inputs() -> None:
    result = run("spec", "schema", "--version", "9.9", "--json")
    assert result.returncode == 1
    assert envelope(result)["error"]["code"] == "ERR_INPUTS"


def test_a_usage_error_with_json_is_still_one_envelope() -> None:
    result = run("spec", "validate", "--json")
    assert result.returncode == 2
    assert envelope(result)["error"]["code"] == "ERR_INPUTS"


def test_without_json_people_get_a_readable_report() -> None:
    document = base_11()
    document["entities"][0]["fields"][1]["name"] = "select"
    result = run("spec", "validate", "-", stdin=json.dumps(document).encode())
    assert result.returncode == 1
    assert b"ERR_SPEC_INVALID" in result.stderr
    assert b"SPEC_RESERVED_NAME" in result.stderr
    ok = run("spec", "validate", str(EXAMPLES / "shop-1.0.json"))
    assert ok.returncode == 0
    assert b"valid spec 1.0" in ok.stdout


def test_compile_reviews_first_and_refuses_an_invalid_spec(tmp_path: Path) -> None:
    result = run("compile", "-", "-o", str(tmp_path / "out"), "--json", stdin=b'{"x": 1}')
    assert envelope(result)["error"]["code"] == "ERR_SPEC_INVALID"
    assert not (tmp_path / "out").exists()


def compiled_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_compile_writes_the_project_and_reports_its_tree_hash(tmp_path: Path) -> None:
    out = tmp_path / "shop"
    result = run(
        "compile",
        str(EXAMPLES / "shop-1.0.json"),
        "-o",
        str(out),
        "--zip",
        str(tmp_path / "shop.zip"),
        "--json",
    )
    body = envelope(result)
    assert result.returncode == 0, result.stderr
    assert body["status"] == "success"
    assert body["tree_hash"].startswith("sha256:")
    assert body["files_written"] == len(compiled_files(out))
    manifest = json.loads((out / ".deeprun" / "manifest.json").read_bytes())
    assert manifest["tree_hash"] == body["tree_hash"]
    assert (tmp_path / "shop.zip").is_file()


@pytest.mark.parametrize("example", ["crm-ten-entities-1.0.json", "ecommerce-1.1.json"])
def test_compiling_twice_anywhere_gives_the_same_bytes(tmp_path: Path, example: str) -> None:
    hashes, trees = set(), []
    for seed, folder in (("0", tmp_path / "a"), ("1", tmp_path / "nested" / "b")):
        env_seed = {"PYTHONHASHSEED": seed}
        result = run_with_env(
            env_seed,
            "compile",
            str(EXAMPLES / example),
            "-o",
            str(folder),
            "--json",
        )
        hashes.add(envelope(result)["tree_hash"])
        trees.append(compiled_files(folder))
    assert len(hashes) == 1
    assert trees[0] == trees[1]


def test_compile_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    result = run("compile", str(EXAMPLES / "shop-1.0.json"), "-o", str(tmp_path), "--json")
    assert result.returncode == 1
    assert envelope(result)["error"]["code"] == "ERR_OUTPUT_EXISTS"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_compile_refuses_1_1_features_it_cannot_generate_yet(tmp_path: Path) -> None:
    document = base_11()
    document["entities"].append(
        {"name": "User", "fields": [{"name": "id", "type": "uuid", "primary_key": True}],
         "soft_delete": True}
    )  # fmt: skip
    source = tmp_path / "spec.json"
    source.write_text(json.dumps(document))
    result = run("compile", str(source), "-o", str(tmp_path / "out"), "--json")
    error = envelope(result)["error"]
    assert error["code"] == "ERR_NOT_BUILT"
    assert "/entities/2/soft_delete" in error["message"]
    assert not (tmp_path / "out").exists()


def test_compile_loads_none_of_the_other_verbs_services(tmp_path: Path) -> None:
    """A process runs one verb; the gates', benches' and planner's imports would cost compile
    a third of a second."""
    out = str(tmp_path / "out")
    traced = {"PYTHONPROFILEIMPORTTIME": "1"}
    result = run_with_env(traced, "compile", str(EXAMPLES / "shop-1.0.json"), "-o", out, "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.decode().splitlines()
    loaded = {line.rsplit("|", 1)[-1].strip() for line in lines if line.startswith("import time:")}
    assert {"deeprun.services.compiling", "deeprun.adapters.ruff_formatter"} <= loaded
    others = {
        "deeprun.services.readiness",
        "deeprun.services.architecture",
        "deeprun.services.planning",
        "deeprun.services.bench_perf",
        "deeprun.services.bench_reliability",
        "deeprun.adapters.databases",
        "deeprun.adapters.http_probe",
        "httpx",
        "grimp",
    }
    assert sorted(loaded & others) == []
