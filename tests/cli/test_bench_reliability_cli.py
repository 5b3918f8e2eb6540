"""`deeprun bench reliability` as users run it, on corpora whose cases stop before the gates
(the cases that reach the real gates are in tests/generated/test_bench_reliability.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deeprun.logic.canonical_json import pretty_json
from tests.cli.test_cli import envelope, run

BROKEN = '{"spec_version": "1.0", "project_name": "x"}'


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An invalid spec and a prompt the offline planner cannot use, and files that are no case."""
    folder = tmp_path / "corpus"
    (folder / "ci").mkdir(parents=True)
    (folder / "broken.json").write_text(BROKEN)
    (folder / "a-vague.txt").write_text("hello there")
    (folder / "README.md").write_text("not a case")
    (folder / "ci" / "nested.json").write_text(BROKEN)
    return folder


def test_a_run_below_the_minimum_pass_rate_is_an_error_envelope_with_the_report(
    corpus: Path, tmp_path: Path
) -> None:
    written = tmp_path / "out" / "report.json"
    result = run(
        "bench", "reliability", "--corpus", str(corpus), "--min-pass-rate", "0.5",
        "--output", str(written), "--json",
    )  # fmt: skip
    body = envelope(result)
    assert result.returncode == 1
    assert body["error"] == {
        "code": "ERR_BENCH_BELOW_TARGET",
        "message": "pass rate 0.0% is below --min-pass-rate 50.0%",
    }
    assert (body["pass_rate"], body["passed"], body["failed"]) == (0.0, 0, 2)
    assert [(c["case"], c["lane"], c["stage"]) for c in body["cases"]] == [
        ("a-vague.txt", "prompt", "plan"),
        ("broken.json", "spec", "review"),
    ]
    assert body["histogram"] == {"plan": 1, "review": 1}
    assert body["cases"][1]["failures"][0] == {
        "code": "SPEC_SCHEMA",
        "tool_code": None,
        "message": "/auth: 'auth' is required",
        "file": "broken.json",
        "line": None,
    }
    assert set(body["versions"]) == {"generator", "template", "provider", "model", "python"}
    report = {k: v for k, v in body.items() if k not in {"status", "command", "error"}}
    report.pop("execution_id")
    assert written.read_text() == pretty_json(report)


def test_without_a_minimum_the_bench_reports_and_succeeds(corpus: Path) -> None:
    result = run("bench", "reliability", "--corpus", str(corpus), "--json")
    body = envelope(result)
    assert result.returncode == 0
    assert body["status"] == "success"
    assert body["min_pass_rate"] == 0.0
    assert body["lanes"]["spec"] == {"runs": 1, "passed": 0, "failed": 1, "pass_rate": 0.0}


def test_iterations_repeat_the_corpus_and_each_run_counts(corpus: Path) -> None:
    body = envelope(
        run("bench", "reliability", "--corpus", str(corpus), "--iterations", "2", "--json")
    )
    assert [(c["case"], c["iteration"]) for c in body["cases"]] == [
        ("a-vague.txt", 1),
        ("broken.json", 1),
        ("a-vague.txt", 2),
        ("broken.json", 2),
    ]
    assert body["failed"] == 4


def test_people_get_a_line_per_case_and_a_table(corpus: Path) -> None:
    result = run("bench", "reliability", "--corpus", str(corpus))
    assert result.returncode == 0
    progress = result.stderr.decode()
    assert "1/2 ✗ a-vague.txt (prompt, iteration 1)" in progress
    assert "failed at review: SPEC_SCHEMA broken.json: /auth: 'auth' is required" in progress
    table = result.stdout.decode()
    assert "failed at: plan 1, review 1" in table
    assert "pass rate 0.0% (0/2)" in table


@pytest.mark.parametrize("contents", [None, []], ids=["missing", "empty"])
def test_a_corpus_that_is_no_folder_of_cases_is_an_input_error(
    tmp_path: Path, contents: list[str] | None
) -> None:
    folder = tmp_path / "corpus"
    if contents is not None:
        folder.mkdir()
        (folder / "notes.md").write_text("no case here")
    body = envelope(run("bench", "reliability", "--corpus", str(folder), "--json"))
    assert body["error"]["code"] == "ERR_INPUTS"


def test_a_minimum_pass_rate_above_one_is_a_usage_error(corpus: Path) -> None:
    result = run(
        "bench", "reliability", "--corpus", str(corpus), "--min-pass-rate", "1.5", "--json"
    )
    assert result.returncode == 2
    assert envelope(result)["error"]["code"] == "ERR_INPUTS"


def test_the_report_file_is_pretty_canonical_json(corpus: Path, tmp_path: Path) -> None:
    written = tmp_path / "report.json"
    run("bench", "reliability", "--corpus", str(corpus), "--output", str(written))
    text = written.read_text()
    assert text == pretty_json(json.loads(text))
