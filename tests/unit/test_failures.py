"""Tool output becomes typed failures with paths relative to the project."""

from __future__ import annotations

import json

from deeprun.logic import failures

ROOT = "/work/p"


def test_ruff_json_findings_keep_their_rule_codes() -> None:
    output = json.dumps(
        [
            {
                "code": "F401",
                "message": "`os` imported but unused",
                "filename": "/work/p/app/x.py",
                "location": {"row": 3},
            }
        ]
    )
    [found] = failures.ruff_failures(output, ROOT)
    assert (found.code, found.tool_code, found.file, found.line) == ("ruff", "F401", "app/x.py", 3)


def test_unreadable_ruff_output_is_still_a_failure() -> None:
    assert failures.ruff_failures("error: boom", ROOT)[0].message == "error: boom"


def test_format_check_names_each_file() -> None:
    output = "Would reformat: /work/p/app/main.py\n1 file would be reformatted\n"
    [found] = failures.format_failures(output, ROOT)
    assert (found.file, found.tool_code) == ("app/main.py", "format")


def test_mypy_errors_carry_file_line_and_code() -> None:
    output = (
        'app/x.py:7: error: Incompatible return value type (got "str", expected "int")'
        "  [return-value]\napp/x.py:8: note: hi\n"
    )
    [found] = failures.mypy_failures(output, ROOT)
    assert (found.file, found.line, found.tool_code) == ("app/x.py", 7, "return-value")


def test_pytest_summary_lines_become_failures_at_their_assertion() -> None:
    output = (
        "tests/test_a.py:12: AssertionError\n"
        "FAILED tests/test_a.py::test_sum - assert 2 == 3\n"
        "ERROR tests/test_b.py::test_db\n"
        "1 failed, 3 passed, 1 error in 2.00s\n"
    )
    found = failures.pytest_failures(output, ROOT)
    assert [(f.file, f.line, f.tool_code) for f in found] == [
        ("tests/test_a.py", 12, "failed"),
        ("tests/test_b.py", None, "error"),
    ]
    assert failures.pytest_counts(output) == {"failed": 1, "passed": 3, "error": 1}


def test_import_linter_chains_point_at_the_importing_line() -> None:
    output = "-   app.modules.a.router -> sqlalchemy (l.5)\n"
    [found] = failures.import_failures(output, ROOT)
    assert (found.file, found.line) == ("app/modules/a/router.py", 5)


def test_a_traceback_is_reported_at_its_deepest_project_frame() -> None:
    output = (
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3.11/runpy.py", line 1, in run\n'
        '  File "/work/p/migrations/versions/0001_initial.py", line 30, in upgrade\n'
        '  File "/venv/sqlalchemy/engine.py", line 9, in execute\n'
        "sqlalchemy.exc.ProgrammingError: relation nowhere does not exist\n"
    )
    found = failures.traceback_failure("migrations", output, ROOT, "alembic failed")
    assert (found.file, found.line) == ("migrations/versions/0001_initial.py", 30)
    assert found.message.endswith("relation nowhere does not exist")


def test_an_empty_output_falls_back_to_the_given_message() -> None:
    assert failures.traceback_failure("boot", "", ROOT, "no 200").message == "no 200"
