"""The compiler's plan: a pure, deterministic mapping from a canonical spec to a file tree."""

from __future__ import annotations

import ast
import json
import re
from typing import Any

import pytest

from deeprun.contracts.errors import NotBuiltError
from deeprun.logic.canonical_json import canonical_bytes
from deeprun.logic.compiler import plan
from deeprun.logic.compiler.python_names import attribute_name, entity_class_name, package_name
from deeprun.services import specs
from tests.specs import EXAMPLES, base_11, example

EXAMPLES_10 = sorted(p.name for p in EXAMPLES.glob("*-1.0.json"))


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    result = specs.normalize(canonical_bytes(document))
    assert result.canonical is not None
    return result.canonical


@pytest.mark.parametrize("name", EXAMPLES_10)
def test_planning_twice_gives_the_same_tree(name: str) -> None:
    spec = canonical(example(name))
    assert plan(spec) == plan(spec)
    assert list(plan(spec)) == sorted(plan(spec))


@pytest.mark.parametrize("name", EXAMPLES_10)
def test_every_generated_python_file_parses(name: str) -> None:
    for path, data in plan(canonical(example(name))).items():
        if path.endswith(".py"):
            ast.parse(data, filename=path)


def test_the_tree_holds_the_contract_layout() -> None:
    tree = plan(canonical(example("shop-1.0.json")))
    for path in (
        "pyproject.toml", "README.md", "Dockerfile", ".dockerignore", "docker-compose.yml",
        ".env.example", "alembic.ini", "migrations/env.py", "migrations/script.py.mako",
        "migrations/versions/0001_initial.py", "scripts/seed.py", "app/main.py",
        "app/server.py", "app/config/settings.py", "app/config/logging.py", "app/db/base.py",
        "app/db/session.py", "app/errors/base.py", "app/errors/handlers.py",
        "app/security/passwords.py", "app/security/tokens.py", "app/security/dependencies.py",
        "app/modules/health/router.py", "app/modules/auth/router.py",
        "app/modules/product/entity.py", "app/modules/product/model.py",
        "app/modules/product/schemas.py", "app/modules/product/dto.py",
        "app/modules/product/repository.py", "app/modules/product/service.py",
        "app/modules/product/router.py", "tests/conftest.py",
        "tests/integration/test_health.py", "tests/integration/test_boot.py",
        "tests/modules/test_product.py", "tests/modules/test_user.py",
        "tests/security/test_probes.py",
    ):  # fmt: skip
        assert path in tree, path


def test_auth_off_generates_no_security_code() -> None:
    tree = plan(canonical(example("todo-noauth-1.0.json")))
    assert not [path for path in tree if "app/security/" in path or "/auth/" in path]
    assert b"argon2" not in tree["pyproject.toml"]
    assert b"jwt" not in tree["app/config/settings.py"].lower()


def test_a_changed_spec_changes_the_tree() -> None:
    document = example("todo-noauth-1.0.json")
    before = plan(canonical(document))
    document["entities"][0]["fields"][1]["name"] = "headline"
    after = plan(canonical(document))
    assert after["app/modules/task/schemas.py"] != before["app/modules/task/schemas.py"]


def test_no_host_data_or_clock_reaches_the_files() -> None:
    tree = plan(canonical(example("crm-ten-entities-1.0.json")))
    text = b"".join(tree.values())
    assert b"/work/" not in text
    assert b"/root" not in text
    assert b"2026-" not in text


def account_with_unbuilt_keys() -> dict[str, Any]:
    """The account entity with keys the auth module does not generate."""
    document = base_11()
    document["entities"].append(
        {
            "name": "User",
            "fields": [
                {"name": "id", "type": "uuid", "primary_key": True},
                {"name": "nickname", "type": "string"},
            ],
            "soft_delete": True,
            "list": {"sortable": ["nickname"]},
        }
    )
    return document


def test_account_keys_without_templates_are_refused_by_pointer() -> None:
    with pytest.raises(NotBuiltError) as caught:
        plan(canonical(account_with_unbuilt_keys()))
    message = caught.value.message
    assert "/entities/2/soft_delete" in message
    assert "/entities/2/list/sortable" in message


def test_a_many_to_many_to_the_account_lists_accounts_under_the_row() -> None:
    document = base_11()
    document["entities"].append(
        {"name": "User", "fields": [{"name": "id", "type": "uuid", "primary_key": True}]}
    )
    document["entities"][0]["relations"] = [
        {"name": "members", "kind": "many_to_many", "target": "User", "back_populates": "folders"}
    ]
    tree = plan(canonical(document))
    model = tree["app/modules/folder/model.py"].decode()
    assert 'sa.ForeignKey("users.id", ondelete="CASCADE"' in model
    router = tree["app/modules/user/router.py"].decode()
    assert '@router.get("/folders/{id}/members"' in router
    assert "async def list_members_of_folders(" in tree["app/accounts/repository.py"].decode()
    assert "async def test_list_members_of_folders(" in tree["tests/modules/test_user.py"].decode()
    assert '@router.get("/users/{id}/folders"' in tree["app/modules/folder/router.py"].decode()


def test_account_timestamps_add_updated_at_to_the_table_and_the_responses() -> None:
    document = base_11()
    document["entities"].append(
        {"name": "User", "fields": [{"name": "id", "type": "uuid", "primary_key": True}]}
    )
    without = plan(canonical(document))
    document["entities"][-1]["timestamps"] = True
    tree = plan(canonical(document))
    for path in (
        "app/accounts/model.py",
        "app/accounts/dto.py",
        "migrations/versions/0001_initial.py",
    ):
        assert b"updated_at" in tree[path], path
        assert b"updated_at" not in without[path], path
    assert b"updated_at=func.now()" in tree["app/accounts/repository.py"]
    assert b"test_an_update_moves_updated_at" in tree["tests/modules/test_user.py"]


def test_the_default_page_is_never_larger_than_the_largest() -> None:
    document = base_11()
    document["entities"][0]["list"] = {"max_page_size": 5}
    document["entities"].append(
        {
            "name": "User",
            "fields": [{"name": "id", "type": "uuid", "primary_key": True}],
            "list": {"max_page_size": 7},
        }
    )
    tree = plan(canonical(document))
    assert b"limit: int = Field(5, ge=1, le=5," in tree["app/modules/folder/schemas.py"]
    assert b"limit: int = Field(20, ge=1, le=100," in tree["app/modules/note/schemas.py"]
    assert b"limit: int = Field(7, ge=1, le=7," in tree["app/accounts/schemas.py"]


def test_every_1_1_example_compiles() -> None:
    for path in sorted(EXAMPLES.glob("*-1.1.json")):
        tree = plan(canonical(json.loads(path.read_text())))
        assert "migrations/versions/0001_initial.py" in tree, path.name


def test_a_one_point_one_spec_with_supported_keys_compiles() -> None:
    document = example("shop-1.0.json")
    document["spec_version"] = "1.1"
    document["auth"].update({"roles": ["admin", "staff", "user"], "registration": "admin_only"})
    document["entities"][1]["permissions"] = {"delete": ["staff"]}
    tree = plan(canonical(document))
    service = tree["app/modules/product/service.py"].decode()
    assert re.search(r'"delete": frozenset\(\{\s*"staff",\s*\}\)', service)
    assert "REGISTRATION_OPEN: Final = False" in tree["app/modules/auth/service.py"].decode()


def test_relations_ownership_and_lists_reach_the_generated_code() -> None:
    tree = plan(canonical(base_11()))
    model = tree["app/modules/note/model.py"].decode()
    assert 'sa.ForeignKey("folders.id", ondelete="' in model
    assert "owner_id" in model
    migration = tree["migrations/versions/0001_initial.py"].decode()
    assert "op.create_foreign_key(" in migration
    assert "op.drop_constraint(" in migration


@pytest.mark.parametrize(
    ("name", "attribute"),
    [("metadata", "metadata_"), ("model_config", "model_config_"), ("type", "type_"),
     ("json", "json_"), ("title", "title"), ("id", "id"), ("query", "query")],
)  # fmt: skip
def test_names_that_shadow_framework_attributes_get_an_underscore(
    name: str, attribute: str
) -> None:
    assert attribute_name(name) == attribute


def test_entity_classes_that_meet_imported_names_get_a_suffix() -> None:
    assert entity_class_name("Query") == "QueryEntity"
    assert entity_class_name("Field") == "FieldEntity"
    assert entity_class_name("Product") == "Product"


def test_an_entity_named_like_a_keyword_gets_an_importable_package() -> None:
    assert package_name("import") == "import_"
    assert package_name("imports") == "imports"


def test_constraint_names_never_collide_across_tables() -> None:
    document = base_11()
    document["entities"][0]["fields"].append({"name": "tag_code", "type": "string", "unique": True})
    document["entities"][0]["table_name"] = "items"
    document["entities"].append(
        {
            "name": "ItemTag",
            "table_name": "items_tag",
            "fields": [
                {"name": "id", "type": "uuid", "primary_key": True},
                {"name": "code", "type": "string", "unique": True},
            ],
        }
    )
    migration = plan(canonical(document))["migrations/versions/0001_initial.py"].decode()
    assert migration.count('op.f("uq_items_tag_code")') == 1
    assert 'op.f("uq_items_tag_code_2")' in migration


def test_lists_may_name_the_soft_delete_marker() -> None:
    document = base_11()
    document["entities"][1].update(
        {"soft_delete": True, "list": {"sortable": ["deleted_at"], "filterable": ["deleted_at"]}}
    )
    repository = plan(canonical(document))["app/modules/note/repository.py"].decode()
    assert '"deleted_at": Row.deleted_at' in repository
