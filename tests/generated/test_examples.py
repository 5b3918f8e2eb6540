"""Every example compiles into a project that `deeprun check ready` calls YES, with zero edits.

The readiness gates run ruff, mypy --strict, import-linter, the Alembic round trip, the
project's own tests, a boot with the auth flow, the fuzzer and (where an engine exists, and
always for the shop example in CI) the container. Beside them: the idempotent seed and a full
CRUD flow over HTTP, which the gates do not cover.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from deeprun.services import specs
from tests.generated.harness import ADMIN, Project, compile_example, serving
from tests.specs import EXAMPLES, ROOT

COMPILABLE = sorted(p.name for p in EXAMPLES.glob("*-1.*.json"))


@pytest.fixture(scope="module", params=COMPILABLE)
def project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, stack_venv: Path
) -> Project:
    output = compile_example(request.param, tmp_path_factory.mktemp("compiled") / "project")
    return Project(output, stack_venv)


def canonical(project: Project) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads((project.path / ".deeprun" / "spec.json").read_text())
    return spec


CONTAINER_EXAMPLE = "shop-1.0.json"


def test_check_ready_says_yes(
    request: pytest.FixtureRequest, project: Project, fuzz_reports: list[str]
) -> None:
    """The container gate may be skipped where no engine works, except in CI's shop run."""
    required = os.environ.get("DEEPRUN_REQUIRE_CONTAINER") == "1"
    example = request.node.callspec.params["project"]
    allowed = [] if required and example == CONTAINER_EXAMPLE else ["--allow-skip", "container"]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "deeprun",
            "check",
            "ready",
            str(project.path),
            "--json",
            "--fuzz-examples",
            "25",
            *allowed,
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=1800,
        check=False,
    )
    envelope = json.loads(result.stdout)
    gates = {g["gate"]: g for g in envelope["gates"]}
    fuzz = gates["fuzz"]["evidence"]
    fuzz_reports.append(
        f"{canonical(project)['project_name']}: {fuzz.get('cases')} cases, "
        f"{fuzz.get('operations')} operations in {gates['fuzz']['seconds']:.1f} s; "
        + ", ".join(f"{g['gate']} {g['seconds']:.1f} s" for g in envelope["gates"])
    )
    assert envelope["verdict"] == "YES", json.dumps(envelope["failures"], indent=1)[:6000]
    assert result.returncode == 0
    assert envelope["status"] == "success"
    assert fuzz["cases"] > 0
    assert gates["tests"]["evidence"]["passed"] > 0


def test_seeding_is_idempotent(project: Project, new_database: Callable[[], str]) -> None:
    url = new_database()
    project.check("alembic", "upgrade", "head", env={"DATABASE_URL": url})
    first = project.check("python", "-m", "scripts.seed", env={"DATABASE_URL": url, **ADMIN})
    again = project.check("python", "-m", "scripts.seed", env={"DATABASE_URL": url, **ADMIN})
    if canonical(project)["auth"]["enabled"]:
        assert '"created": true' in first
        assert '"created": false' in again
    seeded = [e for e in canonical(project)["entities"] if e.get("seed")]
    for entity in seeded:
        assert f'"table": "{entity["table_name"]}", "created": {len(entity["seed"])}' in first
        assert f'"table": "{entity["table_name"]}", "created": 0' in again


def test_owned_seed_rows_belong_to_the_first_admin_and_wait_for_one(
    tmp_path: Path, stack_venv: Path, new_database: Callable[[], str]
) -> None:
    """tracker's `projects` are owned and seeded: without an admin to own them they are
    skipped (the rest is seeded), with one they are inserted once, owned by that admin."""
    project = Project(compile_example("tracker-1.1.json", tmp_path / "project"), stack_venv)
    url = new_database()
    project.check("alembic", "upgrade", "head", env={"DATABASE_URL": url})
    alone = project.check("python", "-m", "scripts.seed", env={"DATABASE_URL": url})
    assert '"event": "seed_rows_skipped"' in alone and '"table": "projects"' in alone
    assert '"table": "labels", "created": 3' in alone
    first = project.check("python", "-m", "scripts.seed", env={"DATABASE_URL": url, **ADMIN})
    again = project.check("python", "-m", "scripts.seed", env={"DATABASE_URL": url, **ADMIN})
    assert '"table": "projects", "created": 2' in first
    assert '"table": "projects", "created": 0' in again
    owners = project.run("python", "-c", OWNERS_OF_PROJECTS, env={"DATABASE_URL": url})
    assert owners.returncode == 0, owners.stderr
    assert owners.stdout.split() == [ADMIN["FIRST_ADMIN_EMAIL"]] * 2


OWNERS_OF_PROJECTS = """
import asyncio
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from app.config.settings import DatabaseSettings

async def main():
    engine = create_async_engine(DatabaseSettings().database_url)
    async with engine.connect() as connection:
        rows = await connection.execute(sa.text(
            "SELECT u.email FROM projects p JOIN users u ON u.id = p.owner_id ORDER BY p.key"
        ))
        print(*rows.scalars())
    await engine.dispose()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def server(project: Project, new_database: Callable[[], str]) -> Iterator[str]:
    with serving(project, new_database()) as base:
        yield base


def test_the_server_boots_with_health_and_docs(server: str) -> None:
    assert httpx.get(f"{server}/health").status_code == 200
    assert httpx.get(f"{server}/health/ready").status_code == 200
    assert httpx.get(f"{server}/docs").status_code == 200
    assert httpx.get(f"{server}/openapi.json").status_code == 200


def test_a_crud_flow_over_http_and_401_without_a_token(project: Project, server: str) -> None:
    spec = canonical(project)
    auth = spec["auth"]["enabled"]
    entity = next((e for e in spec["entities"] if _flows(e, spec)), None)
    with httpx.Client(timeout=30) as http:
        headers = _user_headers(http, server, spec) if auth else {}
        if entity is None:  # every entity needs a role, a related row or a constrained value
            assert http.get(f"{server}/auth/me", headers=headers).status_code == 200
            assert http.get(f"{server}/auth/me").status_code == 401
            return
        url = f"{server}/{entity['table_name']}"
        fields = _required(entity)
        created = http.post(url, json=_sample(fields, 1), headers=headers)
        assert created.status_code == 201, created.text
        pk = next(f["name"] for f in entity["fields"] if f["primary_key"])
        item = f"{url}/{created.json()[pk]}"
        listed = http.get(url, params={"limit": 100}, headers=headers).json()
        assert listed["total"] >= 1
        assert created.json() in listed["items"]
        assert http.get(item, headers=headers).json() == created.json()
        assert http.put(item, json=_sample(fields, 2), headers=headers).status_code == 200
        assert http.patch(item, json={}, headers=headers).status_code == 200
        if auth:
            for method in ("GET", "DELETE"):
                assert http.request(method, item).status_code == 401
            assert http.get(url).status_code == 401
            assert http.post(url, json=_sample(fields, 3)).status_code == 401
        assert http.delete(item, headers=headers).status_code == 204
        assert http.get(item, headers=headers).status_code == 404


_SIMPLE = frozenset({"string", "text", "integer", "float", "boolean", "datetime", "uuid", "date"})
_CONSTRAINTS = ("min_length", "pattern", "format", "minimum", "maximum")


def _required(entity: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f
        for f in entity["fields"]
        if not (f["primary_key"] or f["nullable"] or f.get("read_only"))
        and f.get("default") is None
    ]


def _flows(entity: dict[str, Any], spec: dict[str, Any]) -> bool:
    """An entity this flow can create by itself: plain required fields, no required relation,
    every operation open to an ordinary account."""
    if not entity["crud"] or (spec["auth"]["enabled"] and entity["name"] == "User"):
        return False
    if any(r["kind"] != "many_to_many" and not r["nullable"] for r in entity.get("relations", [])):
        return False
    plain = all(
        f["type"] in _SIMPLE and not any(f.get(key) is not None for key in _CONSTRAINTS)
        for f in _required(entity)
    )
    ordinary = {"authenticated", "public", "owner", spec["auth"].get("default_role", "user")}
    allowed = entity.get("permissions") or {}
    return plain and all(ordinary & set(allowed.get(op, ["public"])) for op in allowed)


def _user_headers(http: httpx.Client, server: str, spec: dict[str, Any]) -> dict[str, str]:
    """An ordinary account: self-registered, or registered by the admin when that is closed."""
    admin: dict[str, str] = {}
    if spec["auth"].get("registration", "open") == "admin_only":
        admin = _login(http, server, ADMIN["FIRST_ADMIN_EMAIL"], ADMIN["FIRST_ADMIN_PASSWORD"])
        assert http.post(f"{server}/auth/register", json={}).status_code in {403, 422}
    account: dict[str, object] = {"email": "flow@example.com", "password": "flow-pass-1"}
    account.update(_sample(_account_fields(spec), 1))
    registered = http.post(f"{server}/auth/register", json=account, headers=admin)
    assert registered.status_code == 201, registered.text
    return _login(http, server, "flow@example.com", "flow-pass-1")


def _login(http: httpx.Client, server: str, email: str, password: str) -> dict[str, str]:
    login = http.post(f"{server}/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _account_fields(spec: dict[str, Any]) -> list[dict[str, Any]]:
    user = next((e for e in spec["entities"] if e["name"] == "User"), None)
    if user is None:
        return []
    return [f for f in _required(user) if f["name"] != "email"]


def _sample(fields: list[dict[str, Any]], n: int) -> dict[str, object]:
    moment = dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n)
    values: dict[str, Callable[[dict[str, Any]], object]] = {
        "string": lambda f: f"{f['name']}-{n}"[-(f.get("max_length") or 255) :],
        "text": lambda f: f"{f['name']} text {n}",
        "integer": lambda _: n,
        "float": lambda _: n + 0.25,
        "boolean": lambda _: n % 2 == 0,
        "datetime": lambda _: moment.isoformat(),
        "date": lambda _: moment.date().isoformat(),
        "uuid": lambda _: f"00000000-0000-4000-8000-{n:012d}",
        "enum": lambda f: f["values"][0],
        "decimal": lambda f: str(f.get("minimum") or 1),
    }
    return {f["name"]: values[f["type"]](f) for f in fields}


def test_the_examples_cover_the_issue() -> None:
    """The seed example, auth off, two entities with auth, ten entities, awkward names, and the
    four 1.1 documents that together use every 1.1 key."""
    assert {
        "shop-1.0.json",
        "todo-noauth-1.0.json",
        "library-auth-1.0.json",
        "crm-ten-entities-1.0.json",
        "awkward-names-1.0.json",
        "blog-1.1.json",
        "clinic-1.1.json",
        "ecommerce-1.1.json",
        "tracker-1.1.json",
    } <= set(COMPILABLE)


def test_the_sealed_spec_is_its_own_canonical_form(project: Project) -> None:
    sealed = (project.path / ".deeprun" / "spec.json").read_bytes()
    assert specs.normalize(sealed).canonical == canonical(project)
