"""Regenerating onto a project in use: edits survive, the database follows with its rows.

v1 is compiled, migrated and filled; the user edits a generated service and their hooks and adds
a file of their own; v2 (a new field, a new entity, a renamed-away field, new relations, a wider
column, a tightened one) is compiled onto the same folder. The edits must survive, the next
revision must carry the v1 database with its rows to a schema equal to a fresh v2 database, and
the upgraded project must pass every readiness gate.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.generated.catalog import psql, schema_of
from tests.generated.harness import ADMIN, DEEPRUN, Project, serving
from tests.specs import ROOT
from tests.upgrade_specs import V1, V2

SERVICE = "app/modules/post/service.py"
HOOKS = "app/modules/post/hooks.py"
USER_FILE = "app/custom/rules.py"
MY_HELPER = '''

def words_in(title: str) -> int:
    """Mine: how many words a title has."""
    return len(title.split())
'''
MY_RULE = """    if values.get("title") == "forbidden":
        raise ValidationError("that title is not allowed")
"""


def deeprun(*args: str) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [*DEEPRUN, *args, "--json"], capture_output=True, cwd=ROOT, timeout=600, check=False
    )
    return result.returncode, json.loads(result.stdout)


def edit(project: Path) -> None:
    """What a user does after the first compile: a helper in a generated service, a rule in
    their hooks, a module of their own."""
    service = project / SERVICE
    service.write_text(service.read_text() + MY_HELPER)
    hooks = project / HOOKS
    text = hooks.read_text().replace(
        "from app.modules.post.entity",
        "from app.errors.base import ValidationError\nfrom app.modules.post.entity",
    )
    marker = '    """The new record\'s values, validated; what this returns is stored."""\n'
    hooks.write_text(text.replace(marker, marker + MY_RULE))
    (project / USER_FILE).parent.mkdir(parents=True)
    (project / USER_FILE).write_text('"""Mine."""\n\nLIMIT = 3\n')


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory, stack_venv: Path,
             new_database: Callable[[], str]) -> tuple[Project, str, dict[str, Any]]:  # fmt: skip
    """The v1 project, migrated and filled, edited, then upgraded to v2 (database not yet)."""
    folder = tmp_path_factory.mktemp("upgrade") / "newsroom"
    code, envelope = deeprun("compile", str(V1), "-o", str(folder))
    assert code == 0, envelope
    project = Project(folder, stack_venv)
    database = new_database()
    project.check("alembic", "upgrade", "head", env={"DATABASE_URL": database})
    psql(
        database,
        "INSERT INTO authors (id, name, email, legacy_code) VALUES "
        "('00000000-0000-0000-0000-000000000001', 'Ada', 'ada@example.com', 'A-1');"
        "INSERT INTO posts (title, body, status, score, author_id) VALUES "
        "('First', 'Body', 'published', NULL, '00000000-0000-0000-0000-000000000001'),"
        "('Second', 'More', 'draft', 7, '00000000-0000-0000-0000-000000000001');",
    )
    edit(folder)
    code, envelope = deeprun("compile", str(V2), "-o", str(folder))
    assert code == 0, envelope
    return project, database, envelope


def test_edits_and_user_files_survive_and_the_summary_says_what_happened(
    upgraded: tuple[Project, str, dict[str, Any]],
) -> None:
    project, _, envelope = upgraded
    upgrade = envelope["upgrade"]
    assert SERVICE in upgrade["merged"]
    assert HOOKS in upgrade["kept"]
    assert "app/modules/tag/hooks.py" in upgrade["added"]
    assert "app/modules/post/model.py" in upgrade["replaced"]
    assert upgrade["conflicted"] == [] and upgrade["orphaned"] == []
    assert all(USER_FILE not in paths for paths in upgrade.values() if isinstance(paths, list))
    assert upgrade["revision"] == "migrations/versions/0002_schema_update.py"
    assert any("authors.legacy_code" in note for note in upgrade["destructive"])
    service = (project.path / SERVICE).read_text()
    assert service.endswith(MY_HELPER) and "async def link_tags(" in service
    assert MY_RULE in (project.path / HOOKS).read_text()
    assert (project.path / USER_FILE).read_text() == '"""Mine."""\n\nLIMIT = 3\n'
    assert (project.path / "migrations/versions/0001_initial.py").read_text().count(
        "legacy_code"
    ) >= 1, "the first revision is history: never rewritten"


def test_the_new_revision_carries_the_rows_to_the_v2_schema(
    upgraded: tuple[Project, str, dict[str, Any]],
    tmp_path: Path,
    new_database: Callable[[], str],
) -> None:
    project, database, _ = upgraded
    project.check("alembic", "upgrade", "head", env={"DATABASE_URL": database})
    project.check("alembic", "check", env={"DATABASE_URL": database})
    rows = psql(database, "SELECT title, score, subtitle, status FROM posts ORDER BY id")
    assert rows == "First|0||published\nSecond|7||draft"
    assert psql(database, "SELECT name, email, reference FROM authors") == "Ada|ada@example.com|"
    code, envelope = deeprun("compile", str(V2), "-o", str(tmp_path / "fresh"))
    assert code == 0, envelope
    fresh, fresh_database = Project(tmp_path / "fresh", project.venv), new_database()
    fresh.check("alembic", "upgrade", "head", env={"DATABASE_URL": fresh_database})
    assert schema_of(database) == schema_of(fresh_database)


def test_hooks_are_called_by_the_running_service(
    upgraded: tuple[Project, str, dict[str, Any]], new_database: Callable[[], str]
) -> None:
    project, _, _ = upgraded
    with serving(project, new_database()) as base, httpx.Client(timeout=30) as http:
        login = http.post(
            f"{base}/auth/login",
            json={"email": ADMIN["FIRST_ADMIN_EMAIL"], "password": ADMIN["FIRST_ADMIN_PASSWORD"]},
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        author = http.post(
            f"{base}/authors", json={"name": "Bo", "email": "bo@example.com"}, headers=headers
        )
        assert author.status_code == 201, author.text
        post = {
            "title": "forbidden",
            "body": "b",
            "subtitle": "s",
            "author_id": author.json()["id"],
        }
        refused = http.post(f"{base}/posts", json=post, headers=headers)
        assert refused.status_code == 422, refused.text
        assert "not allowed" in refused.text
        allowed = http.post(f"{base}/posts", json={**post, "title": "fine"}, headers=headers)
        assert allowed.status_code == 201, allowed.text


def test_the_upgraded_project_is_ready(upgraded: tuple[Project, str, dict[str, Any]]) -> None:
    project, _, _ = upgraded
    code, envelope = deeprun(
        "check", "ready", str(project.path), "--allow-skip", "container", "--fuzz-examples", "5"
    )
    failing = [g for g in envelope.get("gates", []) if g["status"] != "passed"]
    assert code == 0, failing or envelope
    assert envelope["verdict"] == "YES"


def test_an_unchanged_spec_recompiles_to_zero_changes(tmp_path: Path) -> None:
    folder = tmp_path / "newsroom"
    assert deeprun("compile", str(V1), "-o", str(folder))[0] == 0
    edit(folder)
    before = tree(folder)
    code, envelope = deeprun("compile", str(V1), "-o", str(folder))
    assert code == 0, envelope
    assert envelope["upgrade"]["changes"] == 0 and envelope["files_written"] == 0
    assert envelope["upgrade"]["revision"] is None
    assert sorted(envelope["upgrade"]["kept"]) == [HOOKS, SERVICE]
    assert tree(folder) == before


def test_the_upgrade_gives_the_same_bytes_every_time(tmp_path: Path) -> None:
    first = tmp_path / "first"
    assert deeprun("compile", str(V1), "-o", str(first))[0] == 0
    edit(first)
    second = tmp_path / "second"
    shutil.copytree(first, second)
    results = [deeprun("compile", str(V2), "-o", str(folder)) for folder in (first, second)]
    assert [code for code, _ in results] == [0, 0]
    assert results[0][1]["tree_hash"] == results[1][1]["tree_hash"]
    assert tree(first) == tree(second)


def test_a_conflicting_edit_leaves_markers_and_fails(tmp_path: Path) -> None:
    folder = tmp_path / "newsroom"
    assert deeprun("compile", str(V1), "-o", str(folder))[0] == 0
    model = folder / "app/modules/post/model.py"
    model.write_text(model.read_text().replace("sa.String(length=120)", "sa.String(length=150)"))
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    code, envelope = deeprun("compile", str(V2), "-o", str(folder))
    assert code == 1
    assert envelope["error"]["code"] == "ERR_MERGE_CONFLICT"
    assert envelope["conflicts"] == ["app/modules/post/model.py"]
    assert envelope["upgrade"]["conflicted"] == ["app/modules/post/model.py"]
    text = model.read_text()
    assert "<<<<<<< yours\n" in text and "=======\n" in text and ">>>>>>> deeprun\n" in text
    assert "sa.String(length=150)" in text and "sa.String(length=200)" in text
    assert (folder / "app/modules/tag/model.py").is_file(), "everything else was written"
    code, envelope = deeprun("compile", str(V2), "-o", str(copy), "--accept-conflicts")
    assert code == 0, envelope
    assert envelope["upgrade"]["conflicted"] == ["app/modules/post/model.py"]
