"""The gates catch real defects: each mutation of a generated project turns the verdict to NO
and names the rule or gate that caught it. A commented-out or string copy of a bad pattern
changes nothing: the rules read the code, not its text.

Static defects go through ``check architecture``; defects only a run can show go through
``check ready --fail-fast``, which must stop at the expected gate.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from deeprun.entrypoints.bootstrap import architecture_tools
from deeprun.services import architecture
from tests.generated.harness import compile_example
from tests.specs import ROOT

Edit = Callable[[Path], None]


def replace(path: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        text = (root / path).read_text()
        assert old in text, f"{old!r} is not in {path}: the template changed, update the mutation"
        (root / path).write_text(text.replace(old, new, 1))

    return edit


def append(path: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        with (root / path).open("a") as file:
            file.write(text)

    return edit


def drop(path: str, pattern: str) -> Edit:
    """Removes a Dockerfile instruction with its continuation lines."""

    def edit(root: Path) -> None:
        text = (root / path).read_text()
        changed = re.sub(rf"(?m)^{pattern}.*(?:\\\n.*)*\n", "", text, count=1)
        assert changed != text, f"{pattern} is not in {path}"
        (root / path).write_text(changed)

    return edit


def delete(path: str) -> Edit:
    return lambda root: (root / path).unlink()


@dataclass(frozen=True)
class Mutation:
    name: str
    code: str  # the rule or gate expected to name it
    edits: tuple[Edit, ...]
    inert: tuple[Edit, ...] = field(default=())  # the bad pattern as a comment or a string
    inert_fires: bool = False  # the inert copy must not satisfy a rule whose code was removed


MAIN, SERVICE, ROUTER = (
    "app/main.py",
    "app/modules/product/service.py",
    "app/modules/product/router.py",
)
FASTAPI_IMPORT = "from fastapi import APIRouter, Query\n"
RATE_LIMIT = "    app.add_middleware(LoginRateLimitMiddleware, limit=settings.login_rate_limit)\n"
MIGRATION = "migrations/versions/0001_initial.py"
PRICE = '        sa.Column("price", sa.Double(), nullable=False),\n'

STATIC = (
    Mutation(
        "wildcard CORS",
        "SEC.CORS_WILDCARD",
        (replace(MAIN, "allow_origins=list(settings.cors_origins),", 'allow_origins=["*"],'),),
        (
            append(
                MAIN,
                '\n# app.add_middleware(CORSMiddleware, allow_origins=["*"])\n'
                "NOTE = 'allow_origins=[\"*\"]'\n",
            ),
        ),
    ),
    Mutation(
        "a router importing sqlalchemy",
        "ARCH.LAYER",
        (replace(ROUTER, FASTAPI_IMPORT, FASTAPI_IMPORT + "from sqlalchemy import select\n"),),
        (replace(ROUTER, FASTAPI_IMPORT, FASTAPI_IMPORT + "# from sqlalchemy import select\n"),),
    ),
    Mutation(
        "a service importing fastapi",
        "ARCH.LAYER",
        (replace(SERVICE, "import uuid\n", "import uuid\n\nfrom fastapi import HTTPException\n"),),
        (append(SERVICE, '\nHINT = "from fastapi import HTTPException"\n'),),
    ),
    Mutation(
        "a cross-module import",
        "ARCH.MODULE_ISOLATION",
        (
            replace(
                SERVICE, "import uuid\n", "import uuid\n\nfrom app.modules.user import router\n"
            ),
        ),
        (
            replace(
                SERVICE, "import uuid\n", "import uuid\n\n# from app.modules.user import router\n"
            ),
        ),
    ),
    Mutation(
        "an import cycle",
        "ARCH.CYCLE",
        (append("app/errors/base.py", "\nfrom app.errors import handlers  # noqa: E402\n"),),
        (append("app/errors/base.py", '\n"""from app.errors import handlers"""\n'),),
    ),
    Mutation(
        "print",
        "CODE.PRINT",
        (append(SERVICE, '\nprint("loaded")\n'),),
        (append(SERVICE, '\n# print("loaded")\nEXAMPLE = \'print("loaded")\'\n'),),
    ),
    Mutation(
        "raise Exception",
        "CODE.RAW_EXCEPTION",
        (append(SERVICE, '\n\ndef _boom() -> None:\n    raise Exception("boom")\n'),),
        (append(SERVICE, '\n\ndef _boom() -> None:\n    # raise Exception("boom")\n    return\n'),),
    ),
    Mutation(
        "a hard-coded secret",
        "SEC.HARDCODED_SECRET",
        (
            append(
                "app/config/settings.py",
                '\nJWT_SECRET_DEFAULT = "k8Jd92mZq0Lx7Vb3Nw5Tr1Yc6Hp4Gs2A"\n',
            ),
        ),
        (
            append(
                "app/config/settings.py",
                '\n# JWT_SECRET_DEFAULT = "k8Jd92mZq0Lx7Vb3Nw5Tr1Yc6Hp4Gs2A"\n',
            ),
        ),
    ),
    Mutation(
        "a weak secret accepted",
        "SEC.JWT_SECRET_UNVALIDATED",
        (replace("app/config/settings.py", "MIN_SECRET_LENGTH = 32", "MIN_SECRET_LENGTH = 8"),),
        (append("app/config/settings.py", "\n# MIN_SECRET_LENGTH = 8\n"),),
    ),
    Mutation(
        "stack traces returned",
        "SEC.STACKTRACE_LEAK",
        (
            replace(
                "app/errors/handlers.py",
                "import structlog\n",
                "import traceback\n\nimport structlog\n",
            ),
            replace(
                "app/errors/handlers.py",
                'error_response(500, "INTERNAL_ERROR", "An unexpected error occurred")',
                'error_response(500, "INTERNAL_ERROR", traceback.format_exc())',
            ),
        ),
        (
            append(
                "app/errors/handlers.py",
                "\n# return error_response(500, 'X', traceback.format_exc())\n",
            ),
        ),
    ),
    Mutation(
        "auto-migration at boot",
        "DB.AUTO_MIGRATE_AT_BOOT",
        (
            replace(
                MAIN,
                "from app.db.session import",
                "from app.db.base import Base\nfrom app.db.session import",
            ),
            replace(
                MAIN,
                "        yield\n",
                "        async with engine.begin() as connection:\n"
                "            await connection.run_sync(Base.metadata.create_all)\n        yield\n",
            ),
        ),
        (
            replace(
                MAIN,
                "        yield\n",
                "        # await connection.run_sync(Base.metadata.create_all)\n        yield\n",
            ),
        ),
    ),
    Mutation(
        "the rate limiter removed",
        "SEC.RATE_LIMIT_MISSING",
        (replace(MAIN, RATE_LIMIT, ""),),
        (replace(MAIN, RATE_LIMIT, "    # " + RATE_LIMIT.lstrip()),),
        inert_fires=True,
    ),
    Mutation(
        "debug reload in the server",
        "SEC.DEBUG",
        (
            replace(
                "app/server.py",
                "proxy_headers=False,",
                "proxy_headers=False,\n        reload=True,",
            ),
        ),
        (replace("app/server.py", "proxy_headers=False,", "proxy_headers=False,  # reload=True"),),
    ),
    Mutation(
        "passwords hashed with sha256",
        "SEC.PASSWORD_HASHING",
        (
            replace(
                "app/security/passwords.py",
                "import anyio.to_thread\n",
                "import hashlib\n\nimport anyio.to_thread\n",
            ),
            replace(
                "app/security/passwords.py",
                "return await anyio.to_thread.run_sync(self._hasher.hash, password)",
                "return hashlib.sha256(password.encode()).hexdigest()",
            ),
        ),
        (
            append(
                "app/security/passwords.py", "\n# hashlib.sha256(password.encode()).hexdigest()\n"
            ),
        ),
    ),
    Mutation(
        "a Dockerfile running as root",
        "DOCKER.ROOT_USER",
        (drop("Dockerfile", "USER "),),
        (replace("Dockerfile", "USER app", "# USER app"),),
        inert_fires=True,
    ),
    Mutation(
        "a Dockerfile without HEALTHCHECK",
        "DOCKER.NO_HEALTHCHECK",
        (drop("Dockerfile", "HEALTHCHECK "),),
        (replace("Dockerfile", "HEALTHCHECK ", "# HEALTHCHECK "),),
        inert_fires=True,
    ),
    Mutation(
        "a floating base image",
        "DOCKER.LINT",
        (
            replace(
                "Dockerfile", "FROM python:3.11-slim AS runtime", "FROM python:latest AS runtime"
            ),
        ),
    ),
    Mutation(
        "a module without tests",
        "TEST.MODULE_MISSING_TESTS",
        (delete("tests/modules/test_product.py"),),
        (
            delete("tests/modules/test_product.py"),
            append("tests/modules/test_product.py", "# def test_products_list() -> None: ...\n"),
        ),
        inert_fires=True,
    ),
    Mutation("a required file missing", "STRUCTURE.REQUIRED_FILE", (delete(".dockerignore"),)),
)

GATED = (
    Mutation("a lint error", "ruff", (append(SERVICE, "\nimport os\n"),)),
    Mutation(
        "a type error", "mypy", (append(SERVICE, '\n\ndef _typed() -> int:\n    return "x"\n'),)
    ),
    Mutation(
        "a broken migration",
        "migrations",
        (
            replace(
                MIGRATION,
                PRICE,
                PRICE.replace("sa.Double()", 'sa.Double(), sa.ForeignKey("nowhere.id")'),
            ),
        ),
    ),
    Mutation(
        "a migration that does not match the models", "migrations", (replace(MIGRATION, PRICE, ""),)
    ),
    Mutation(
        "a failing test",
        "tests",
        (
            append(
                "tests/modules/test_product.py",
                "\n\ndef test_mutation() -> None:\n    assert 1 + 1 == 3\n",
            ),
        ),
    ),
    Mutation(
        "an app that does not boot",
        "boot",
        (
            replace(
                "app/server.py", "def main() -> None:\n", "def main() -> None:\n    sys.exit(3)\n"
            ),
            delete("tests/integration/test_boot.py"),  # the defect slipped past the project's tests
        ),
    ),
    Mutation(
        "an endpoint that answers 500 on a NUL byte",
        "fuzz",
        (
            replace(
                "app/common/types.py",
                '    if "\\x00" in value:\n'
                '        raise ValueError("NUL characters are not allowed")\n',
                "",
            ),
            # and the database's "invalid byte" error no longer maps to a 422
            replace(
                "app/db/errors.py", 'DATA_EXCEPTION_CLASS = "22"', 'DATA_EXCEPTION_CLASS = "XX"'
            ),
        ),
    ),
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_example("shop-1.0.json", tmp_path_factory.mktemp("mutations") / "shop")


def mutate(shop: Path, tmp_path: Path, edits: tuple[Edit, ...]) -> Path:
    project = tmp_path / "project"
    shutil.copytree(shop, project)
    for edit in edits:
        edit(project)
    return project


def architecture_codes(project: Path) -> set[str]:
    report = architecture.check(project, architecture_tools())
    return {f.code for f in report.errors}


def test_there_are_at_least_twenty_distinct_defects() -> None:
    assert len({m.name for m in STATIC + GATED}) >= 20
    assert len({m.code for m in STATIC + GATED}) >= 20


def test_the_unmutated_project_breaks_no_rule(shop: Path) -> None:
    assert architecture_codes(shop) == set()


@pytest.mark.parametrize("mutation", STATIC, ids=lambda m: m.name)
def test_a_static_defect_is_named_by_its_rule(
    mutation: Mutation, shop: Path, tmp_path: Path
) -> None:
    assert mutation.code in architecture_codes(mutate(shop, tmp_path, mutation.edits))


@pytest.mark.parametrize("mutation", [m for m in STATIC if m.inert], ids=lambda m: m.name)
def test_a_commented_or_quoted_copy_changes_nothing(
    mutation: Mutation, shop: Path, tmp_path: Path
) -> None:
    codes = architecture_codes(mutate(shop, tmp_path, mutation.inert))
    assert (mutation.code in codes) is mutation.inert_fires, codes


def check_ready(project: Path, *options: str) -> tuple[int, dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "deeprun", "check", "ready", str(project), "--json", *options],
        capture_output=True,
        cwd=ROOT,
        timeout=900,
        check=False,
        env={**os.environ, "DEEPRUN_LOG_LEVEL": "WARNING"},
    )
    envelope: dict[str, object] = json.loads(result.stdout)
    return result.returncode, envelope


@pytest.mark.parametrize("mutation", GATED, ids=lambda m: m.name)
def test_a_defect_only_a_run_shows_stops_the_gate_that_ran_it(
    mutation: Mutation, shop: Path, tmp_path: Path
) -> None:
    project = mutate(shop, tmp_path, mutation.edits)
    code, envelope = check_ready(
        project, "--fail-fast", "--allow-skip", "container", "--fuzz-examples", "3"
    )
    assert code == 1
    assert envelope["status"] == "error"
    assert envelope["verdict"] == "NO"
    assert envelope["error"] == {"code": "ERR_NOT_READY", "message": f"not ready: {mutation.code}"}
    failures = envelope["failures"]
    assert isinstance(failures, list)
    assert {f["code"] for f in failures} == {mutation.code}, failures
