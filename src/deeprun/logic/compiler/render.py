"""Renders the template set for a project view: which template goes to which path, with what."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import jinja2

from deeprun.logic.compiler import imports, pins
from deeprun.logic.compiler.project import ModuleView, ProjectView, factory
from deeprun.logic.compiler.revision import RevisionView, initial
from deeprun.logic.compiler.schema import schema
from deeprun.logic.compiler.view import py_str

Job = tuple[str, str, dict[str, Any]]
"""An output path, its template and the template's extra context."""

INITIAL_REVISION = "migrations/versions/0001_initial.py"
REVISION_TEMPLATE = "migrations/versions/revision.py.jinja"

_PROJECT_FILES = (
    ("pyproject.toml", "pyproject.toml.jinja"),
    ("requirements.txt", "requirements.txt.jinja"),
    ("README.md", "README.md.jinja"),
    (".gitignore", "gitignore.jinja"),
    (".dockerignore", "dockerignore.jinja"),
    (".env.example", "env.example.jinja"),
    ("alembic.ini", "alembic.ini.jinja"),
    ("Dockerfile", "Dockerfile.jinja"),
    ("docker-compose.yml", "docker-compose.yml.jinja"),
    ("migrations/env.py", "migrations/env.py.jinja"),
    ("migrations/script.py.mako", "migrations/script.py.mako.jinja"),
    (INITIAL_REVISION, REVISION_TEMPLATE),
    ("scripts/seed.py", "scripts/seed.py.jinja"),
    ("tests/conftest.py", "tests/conftest.py.jinja"),
    ("tests/support.py", "tests/support.py.jinja"),
    ("tests/factories.py", "tests/factories.py.jinja"),
    ("tests/integration/test_health.py", "tests/integration/test_health.py.jinja"),
    ("tests/integration/test_boot.py", "tests/integration/test_boot.py.jinja"),
    ("tests/security/test_probes.py", "tests/security/test_probes.py.jinja"),
)
_APP_FILES = (
    "main.py", "server.py", "dependencies.py", "config/settings.py", "config/logging.py",
    "db/base.py", "db/session.py", "db/errors.py", "errors/base.py", "errors/handlers.py",
    "errors/responses.py", "common/types.py", "common/schemas.py", "common/paths.py",
    "db/lookups.py", "modules/health/wiring.py",
    "modules/health/repository.py",
    "middleware/access_log.py", "middleware/security_headers.py", "modules/health/router.py",
)  # fmt: skip
_AUTH_FILES = (
    "security/access.py", "security/passwords.py", "security/tokens.py",
    "security/dependencies.py", "middleware/rate_limit.py", "accounts/entity.py",
    "accounts/model.py", "accounts/schemas.py", "accounts/dto.py", "accounts/store.py",
    "accounts/repository.py", "modules/auth/schemas.py", "modules/auth/dto.py",
    "modules/auth/service.py", "modules/auth/wiring.py", "modules/auth/router.py",
)  # fmt: skip
_ENTITY_FILES = (
    "entity.py", "model.py", "schemas.py", "dto.py", "repository.py", "service.py",
    "hooks.py", "wiring.py", "router.py",
)  # fmt: skip
_ACCOUNT_FILES = ("service.py", "wiring.py", "router.py")
_PACKAGES = (
    "app", "app/config", "app/db", "app/errors", "app/common", "app/middleware", "app/modules",
    "app/modules/health", "scripts", "tests", "tests/integration", "tests/modules",
    "tests/security",
)  # fmt: skip
_AUTH_PACKAGES = ("app/security", "app/accounts", "app/modules/auth")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("deeprun", "templates/backend"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - the output is source code, not HTML
    )
    env.filters["py_str"] = py_str
    env.filters["toml_str"] = py_str
    env.filters["factory"] = factory
    return env


def render(project: ProjectView) -> dict[str, str]:
    """Every output path of the project and its text, before formatting (unused imports of
    the Python modules already pruned)."""
    env = environment()
    base = _base_context(project)
    return {
        path: _pruned(path, env.get_template(template).render({**base, **extra}))
        for path, template, extra in _jobs(project)
    }


def render_revision(view: RevisionView) -> str:
    """A later revision's text: the same template as the initial one."""
    return imports.prune(environment().get_template(REVISION_TEMPLATE).render({"migration": view}))


def _pruned(path: str, text: str) -> str:
    return imports.prune(text) if path.endswith(".py") else text


def _base_context(project: ProjectView) -> dict[str, Any]:
    auth = project.auth is not None
    return {
        "project": project,
        "auth": project.auth,
        "runtime_pins": pins.runtime_pins(auth=auth),
        "dev_pins": pins.DEV,
        "module_packages": sorted(
            [
                "health",
                *(["auth"] if auth else []),
                *(m.package for m in project.modules if m.has_package),
            ]
        ),
        "migration": initial(schema(project)),
        "probe": next((m for m in project.entity_modules if m.crud), None),
    }


def _jobs(project: ProjectView) -> Iterator[Job]:
    auth = project.auth is not None
    for path, template in _PROJECT_FILES:
        yield path, template, {}
    for path in _APP_FILES + (_AUTH_FILES if auth else ()):
        yield f"app/{path}", f"app/{path}.jinja", {}
    for package in _PACKAGES + (_AUTH_PACKAGES if auth else ()):
        yield f"{package}/__init__.py", "package_init.py.jinja", {}
    if auth:
        yield "tests/modules/test_auth.py", "tests/modules/test_auth.py.jinja", {}
    for module in project.modules:
        yield from _module_jobs(module, auth=auth)


def _module_jobs(module: ModuleView, *, auth: bool) -> Iterator[Job]:
    if not module.has_package:
        return
    folder = f"app/modules/{module.package}"
    context = {"module": module, **_signature_parts(module, auth=auth)}
    yield f"{folder}/__init__.py", "package_init.py.jinja", {}
    if module.is_account:
        for name in _ACCOUNT_FILES:
            yield f"{folder}/{name}", f"app/modules/_account/{name}.jinja", context
        test = "tests/modules/test_account.py.jinja"
    else:
        for name in _ENTITY_FILES:
            if module.crud or name not in {"router.py", "wiring.py"}:
                yield f"{folder}/{name}", f"app/modules/_entity/{name}.jinja", context
        test = "tests/modules/test_entity.py.jinja"
    if module.crud:
        yield f"tests/modules/test_{module.package}.py", test, context


def _signature_parts(module: ModuleView, *, auth: bool) -> dict[str, Any]:
    """Snippets that differ between projects with and without authentication or ownership."""
    write = "409" if module.unique_fields or module.unique_groups else ""
    owned = module.owned

    def scope(operation: str) -> str:
        if not auth:
            return ""
        check = f'(actor, PERMISSIONS["{operation}"])'
        return f"owner = row_scope{check}" if owned else f"authorize{check}"

    return {
        "actor_param": ", *, actor: Principal | None" if auth else "",
        "actor_dep": ", actor: ActorDep" if auth else "",
        "actor_arg": ", actor=actor" if auth else "",
        "owner_param": ", owner: OwnerId | None = None" if owned else "",
        "owner_only_param": "owner: OwnerId | None = None" if owned else "",
        "owner_arg": ", owner" if owned else "",
        "owner_value": "owner" if owned else "",
        "owner_kwarg": ", owner=owner" if owned else "",
        "scope": scope,
        "common_statuses": "401, 403, 422" if auth else "422",
        "write_statuses": write,
    }
