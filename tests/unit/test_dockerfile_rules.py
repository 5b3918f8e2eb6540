"""The Dockerfile rules read instructions, not text: only the final stage's USER and HEALTHCHECK
count, and nothing hidden in a comment, a continuation or a heredoc satisfies them."""

from __future__ import annotations

import pytest

from deeprun.logic.architecture.dockerfile import dockerfile_rules, parse
from deeprun.logic.canonical_json import canonical_bytes
from deeprun.logic.compiler import plan
from deeprun.services import specs
from tests.specs import example

HEALTHCHECK = 'HEALTHCHECK CMD ["python", "-c", "print(1)"]'


def generated_dockerfile(name: str = "shop-1.0.json") -> str:
    result = specs.normalize(canonical_bytes(example(name)))
    assert result.canonical is not None
    return plan(result.canonical)["Dockerfile"].decode()


def fired(text: str) -> dict[str, int | None]:
    return {failure.code: failure.line for failure in dockerfile_rules(text)}


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("name", ["shop-1.0.json", "todo-noauth-1.0.json"])
def test_the_generated_dockerfile_passes_both_rules(name: str) -> None:
    assert dockerfile_rules(generated_dockerfile(name)) == ()


def test_a_final_stage_without_user_fires_at_its_from_line() -> None:
    text = generated_dockerfile().replace("USER app\n", "")
    assert fired(text) == {"DOCKER.ROOT_USER": line_of(text, "FROM python:3.11-slim AS runtime")}


@pytest.mark.parametrize("user", ["root", "0", "0:0", "ROOT:app", "root:root"])
def test_a_final_user_that_is_root_fires_at_its_line(user: str) -> None:
    text = generated_dockerfile().replace("USER app\n", f"USER app\nUSER {user}\n")
    assert fired(text) == {"DOCKER.ROOT_USER": line_of(text, f"USER {user}")}


def test_a_later_unprivileged_user_wins() -> None:
    assert (
        fired(f"FROM python:3.11-slim\nUSER root\nRUN id\nUSER 10001:10001\n{HEALTHCHECK}\n") == {}
    )


def test_a_final_stage_without_healthcheck_fires_at_its_from_line() -> None:
    text = generated_dockerfile()
    start = text.index("HEALTHCHECK")
    without = text[:start] + text[text.index("# Exec form") :]
    assert fired(without) == {
        "DOCKER.NO_HEALTHCHECK": line_of(without, "FROM python:3.11-slim AS runtime")
    }


def test_healthcheck_none_fires_at_its_line() -> None:
    text = generated_dockerfile() + "HEALTHCHECK NONE\n"
    assert fired(text) == {"DOCKER.NO_HEALTHCHECK": len(text.splitlines())}


def test_commented_out_instructions_satisfy_nothing() -> None:
    text = generated_dockerfile().replace("USER app", "# USER app").replace("HEALTHCHECK", "#HC")
    assert set(fired(text)) == {"DOCKER.ROOT_USER", "DOCKER.NO_HEALTHCHECK"}


def test_a_user_only_in_the_build_stage_fires() -> None:
    text = (
        "FROM python:3.11-slim AS build\nUSER app\nRUN true\n"
        f'FROM python:3.11-slim\n{HEALTHCHECK}\nCMD ["python"]\n'
    )
    assert fired(text) == {"DOCKER.ROOT_USER": 4}


def test_a_stage_built_from_an_earlier_stage_inherits_its_user_and_healthcheck() -> None:
    text = f"FROM python:3.11-slim AS Base\nUSER app\n{HEALTHCHECK}\nFROM base AS final\nRUN true\n"
    assert fired(text) == {}


def test_lines_inside_a_continuation_are_not_instructions() -> None:
    text = f"FROM python:3.11-slim\nRUN echo \\\n    # a comment\n\n    USER app\n{HEALTHCHECK}\n"
    assert [i.keyword for i in parse(text)] == ["FROM", "RUN", "HEALTHCHECK"]
    assert fired(text) == {"DOCKER.ROOT_USER": 1}


def test_the_escape_directive_changes_the_continuation_character() -> None:
    text = (
        f"# escape=`\nFROM python:3.11-slim\nRUN echo `\n    USER app\nCOPY a\\ b\n{HEALTHCHECK}\n"
    )
    assert [(i.keyword, i.line) for i in parse(text)] == [
        ("FROM", 2), ("RUN", 3), ("COPY", 5), ("HEALTHCHECK", 6),
    ]  # fmt: skip


def test_a_heredoc_body_is_not_instructions() -> None:
    text = f"FROM python:3.11-slim\nRUN <<EOF\nUSER app\nEOF\n{HEALTHCHECK}\n"
    assert fired(text) == {"DOCKER.ROOT_USER": 1}


def test_a_dockerfile_without_from_fires_both_rules_without_a_line() -> None:
    assert fired("# nothing here\n") == {"DOCKER.ROOT_USER": None, "DOCKER.NO_HEALTHCHECK": None}


def test_failures_name_the_file_given() -> None:
    failures = dockerfile_rules("FROM python:3.11-slim\n", "backend/Dockerfile")
    assert {f.file for f in failures} == {"backend/Dockerfile"}
