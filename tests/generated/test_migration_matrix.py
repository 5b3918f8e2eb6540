"""Every kind of schema change, proved on a real database both ways.

For each change: the base spec is compiled and migrated, the changed spec is compiled onto the
same folder, and then ``upgrade head`` must give exactly the schema a fresh compile of the changed
spec gives (columns with types, nullability and defaults; constraints; indexes), ``alembic
check`` must find nothing, and ``downgrade -1`` must give back exactly the base schema.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from deeprun.entrypoints.bootstrap import bootstrap
from deeprun.services.compiling import compile_to
from tests.generated.catalog import schema_of
from tests.generated.harness import Project

Spec = dict[str, Any]

BASE: Spec = {
    "spec_version": "1.1",
    "project_name": "matrix",
    "description": "",
    "database": {"type": "postgres", "version": "17"},
    "auth": {"enabled": True, "refresh_token_expiry_minutes": 0},
    "entities": [
        {
            "name": "Shelf",
            "fields": [
                {"name": "id", "type": "uuid", "primary_key": True},
                {"name": "label", "type": "string", "max_length": 60, "unique": True},
                {"name": "capacity", "type": "integer", "nullable": True},
                {"name": "width", "type": "float"},
                {"name": "notes", "type": "text", "nullable": True},
                {"name": "opened_on", "type": "date", "nullable": True},
                {"name": "code", "type": "string", "max_length": 12, "nullable": True},
                {"name": "kind", "type": "enum", "values": ["open", "closed", "glass"]},
            ],
        },
        {
            "name": "Book",
            "fields": [
                {"name": "id", "type": "integer", "primary_key": True},
                {"name": "title", "type": "string", "max_length": 100},
                {"name": "isbn", "type": "string", "max_length": 20, "unique": True},
            ],
            "relations": [
                {"name": "shelf", "kind": "many_to_one", "target": "Shelf", "on_delete": "cascade"}
            ],
        },
    ],
}


def _field(spec: Spec, entity: str, name: str) -> dict[str, Any]:
    owner = next(e for e in spec["entities"] if e["name"] == entity)
    return next(f for f in owner["fields"] if f["name"] == name)


def _json(spec: Spec) -> bytes:
    """The spec without the keys a change set to None (removed)."""
    entities = [
        {**e, "fields": [{k: v for k, v in f.items() if v is not None} for f in e["fields"]]}
        for e in spec["entities"]
    ]
    return json.dumps({**spec, "entities": entities}).encode()


def _entity(spec: Spec, name: str) -> dict[str, Any]:
    return next(e for e in spec["entities"] if e["name"] == name)


def retype(spec: Spec) -> None:
    """Casts that keep values, narrowings, and a change no cast survives."""
    _field(spec, "Shelf", "capacity").update(type="decimal", precision=12, scale=2)
    _field(spec, "Shelf", "width").update(type="integer")
    _field(spec, "Shelf", "notes").update(type="string", max_length=40)
    _field(spec, "Shelf", "opened_on").update(type="datetime")
    _field(spec, "Shelf", "code").update(type="integer", max_length=None)
    _field(spec, "Shelf", "kind").update(values=["open", "closed"])
    _field(spec, "Book", "title").update(max_length=250)


def tighten(spec: Spec) -> None:
    """Optional to required (with and without a default), required to optional, defaults."""
    _field(spec, "Shelf", "capacity").update(nullable=False, default=10)
    _field(spec, "Shelf", "notes").update(nullable=False)
    _field(spec, "Shelf", "width").update(nullable=True, default=1.5)


def soft_delete(spec: Spec) -> None:
    """Unique constraints become partial unique indexes; a marker column appears."""
    _entity(spec, "Shelf")["soft_delete"] = True
    _entity(spec, "Book").update(timestamps=True, unique_together=[["title", "shelf"]])


def drop_entity(spec: Spec) -> None:
    """A table referred to by another goes, with the relation to it."""
    spec["entities"] = [_entity(spec, "Book")]
    _entity(spec, "Book")["relations"] = []


def rekey(spec: Spec) -> None:
    """A key of another kind rebuilds the table and what refers to it; new links to it."""
    _field(spec, "Book", "id").update(type="uuid")
    _entity(spec, "Shelf")["relations"] = [
        {"name": "featured", "kind": "many_to_many", "target": "Book"}
    ]


def relate(spec: Spec) -> None:
    """New required and optional relations, a self reference, an index, a new entity."""
    spec["entities"].append(
        {
            "name": "Reader",
            "fields": [
                {"name": "id", "type": "uuid", "primary_key": True},
                {"name": "name", "type": "string", "max_length": 80},
            ],
            "relations": [{"name": "mentor", "kind": "many_to_one", "target": "Reader",
                           "nullable": True, "on_delete": "set_null"}],
        }
    )  # fmt: skip
    _entity(spec, "Book")["relations"] += [
        {"name": "owner", "kind": "many_to_one", "target": "Reader", "on_delete": "restrict"},
        {"name": "readers", "kind": "many_to_many", "target": "Reader"},
    ]
    _entity(spec, "Book")["indexes"] = [["title"]]


def accounts(spec: Spec) -> None:
    """The account gains fields and roles; refresh tokens are turned on."""
    spec["auth"].update(roles=["admin", "user", "editor"], refresh_token_expiry_minutes=60)
    spec["entities"].append(
        {
            "name": "User",
            "fields": [
                {"name": "id", "type": "uuid", "primary_key": True},
                {"name": "email", "type": "string", "format": "email", "unique": True},
                {"name": "nickname", "type": "string", "max_length": 30, "unique": True,
                 "nullable": True},
                {"name": "level", "type": "integer", "minimum": 1, "default": 1},
            ],
        }
    )  # fmt: skip


def no_auth(spec: Spec) -> None:
    """Authentication off: the account table goes."""
    spec["auth"] = {"enabled": False}


CHANGES: dict[str, Callable[[Spec], None]] = {
    change.__name__: change
    for change in (retype, tighten, soft_delete, drop_entity, rekey, relate, accounts, no_auth)
}


def _compile(spec: Spec, folder: Path) -> None:
    adapters = bootstrap()
    compile_to(_json(spec), folder, None, formatter=adapters.formatter, writer=adapters.writer)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_upgrades_and_downgrades_to_the_exact_schema(
    change: str, tmp_path: Path, stack_venv: Path, new_database: Callable[[], str]
) -> None:
    changed = copy.deepcopy(BASE)
    CHANGES[change](changed)
    fresh = {}
    for name, spec in (("base", BASE), ("changed", changed)):
        _compile(spec, tmp_path / name)
        fresh[name] = new_database()
        migrate(Project(tmp_path / name, stack_venv), fresh[name], "upgrade", "head")
    project = Project(tmp_path / "project", stack_venv)
    database = new_database()
    _compile(BASE, project.path)
    migrate(project, database, "upgrade", "head")
    _compile(changed, project.path)
    assert (project.path / "migrations/versions/0002_schema_update.py").is_file()
    migrate(project, database, "upgrade", "head")
    migrate(project, database, "check")
    assert schema_of(database) == schema_of(fresh["changed"])
    migrate(project, database, "downgrade", "-1")
    assert schema_of(database) == schema_of(fresh["base"])


def migrate(project: Project, database: str, *step: str) -> None:
    project.check("alembic", *step, env={"DATABASE_URL": database})
