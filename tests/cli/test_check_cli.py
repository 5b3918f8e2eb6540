"""`deeprun check`: envelopes, exit codes and error codes as machines see them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.test_cli import envelope, log_lines, run
from tests.specs import EXAMPLES


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("check-cli") / "shop"
    assert run("compile", str(EXAMPLES / "shop-1.0.json"), "-o", str(output)).returncode == 0
    return output


def test_a_generated_project_passes_architecture(shop: Path) -> None:
    result = run("check", "architecture", str(shop), "--json")
    body = envelope(result)
    assert result.returncode == 0
    assert body["status"] == "success"
    assert body["errors"] == 0
    assert body["files_checked"] > 50
    assert body["imports_checked"] > 100


def test_a_violation_is_an_error_envelope_naming_its_rule(shop: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(shop, project)
    main = project / "app" / "main.py"
    main.write_text(main.read_text() + '\nprint("hello")\n')
    result = run("check", "architecture", str(project), "--json")
    body = envelope(result)
    assert result.returncode == 1
    assert body["error"]["code"] == "ERR_ARCHITECTURE"
    [violation] = [v for v in body["violations"] if v["severity"] == "error"]
    assert (violation["code"], violation["file"]) == ("CODE.PRINT", "app/main.py")
    assert violation["hint"]


def test_a_folder_that_does_not_exist_is_an_input_error(tmp_path: Path) -> None:
    for verb in ("architecture", "ready"):
        result = run("check", verb, str(tmp_path / "missing"), "--json")
        assert result.returncode == 1
        assert envelope(result)["error"]["code"] == "ERR_INPUTS"


def test_an_unknown_allowed_skip_is_refused_before_any_gate_runs(shop: Path) -> None:
    result = run("check", "ready", str(shop), "--json", "--allow-skip", "contianer")
    assert result.returncode == 1
    assert envelope(result)["error"]["code"] == "ERR_GATE"
    assert not any(line.get("event") == "gate.start" for line in log_lines(result))


def test_an_empty_folder_is_not_ready_and_says_why(tmp_path: Path) -> None:
    result = run("check", "ready", str(tmp_path), "--json", "--allow-skip", "container")
    body = envelope(result)
    assert result.returncode == 1
    assert body["status"] == "error"
    assert body["verdict"] == "NO"
    assert body["error"]["code"] == "ERR_NOT_READY"
    statuses = {g["gate"]: g["status"] for g in body["gates"]}
    assert statuses["architecture"] == statuses["install"] == "failed"
    assert statuses["tests"] == "not_run"
    codes = {f["code"] for f in body["failures"]}
    assert {"STRUCTURE.REQUIRED_FILE", "install"} <= codes


def test_a_file_that_does_not_parse_is_named_and_the_graph_is_left_out(
    shop: Path, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    shutil.copytree(shop, project)
    (project / "app" / "common" / "paths.py").write_text("def broken(:\n")
    body = envelope(run("check", "architecture", str(project), "--json"))
    assert body["imports_checked"] is None
    assert ("STRUCTURE.SYNTAX", "app/common/paths.py") in {
        (v["code"], v["file"]) for v in body["violations"]
    }
