"""Import rules read the import graph: layers, isolation and cycles, each passing and firing."""

from __future__ import annotations

from deeprun.contracts.gates import Import
from deeprun.logic.architecture.imports import import_rules
from deeprun.logic.architecture.rules import RULES
from deeprun.logic.architecture.structure import structure_rules
from deeprun.logic.graphs import strongly_connected
from tests.specs import ROOT

FILES = {
    "app/modules/note/router.py": "",
    "app/modules/note/service.py": "",
    "app/modules/note/repository.py": "",
    "app/modules/note/entity.py": "",
    "app/modules/folder/service.py": "",
    "app/db/session.py": "",
    "app/errors/base.py": "",
    "app/errors/handlers.py": "",
}
CLEAN = (
    Import("app.modules.note.router", "fastapi", 3),
    Import("app.modules.note.router", "app.modules.note.service", 4),
    Import("app.modules.note.service", "app.modules.note.entity", 5),
    Import("app.modules.note.repository", "sqlalchemy", 6),
    Import("app.modules.note.repository", "app.db.session", 7),
    Import("app.errors.handlers", "app.errors.base", 8),
)


def codes(*extra: Import) -> list[tuple[str, str | None, int | None]]:
    return [(f.code, f.file, f.line) for f in import_rules((*CLEAN, *extra), FILES)]


def test_a_layered_graph_breaks_no_rule() -> None:
    assert codes() == []


def test_a_router_reaching_the_database_breaks_its_layer() -> None:
    found = codes(Import("app.modules.note.router", "sqlalchemy.orm", 9))
    assert found == [("ARCH.LAYER", "app/modules/note/router.py", 9)]


def test_a_service_importing_the_web_framework_breaks_its_layer() -> None:
    found = codes(Import("app.modules.note.service", "starlette", 2))
    assert found == [("ARCH.LAYER", "app/modules/note/service.py", 2)]


def test_infrastructure_importing_a_feature_module_breaks_its_layer() -> None:
    found = codes(Import("app.db.session", "app.modules.note.entity", 4))
    assert found == [("ARCH.LAYER", "app/db/session.py", 4)]


def test_a_module_importing_another_module_breaks_isolation() -> None:
    found = codes(Import("app.modules.folder.service", "app.modules.note.entity", 11))
    assert found == [("ARCH.MODULE_ISOLATION", "app/modules/folder/service.py", 11)]


def test_a_cycle_is_reported_once_with_its_members() -> None:
    failures = import_rules((*CLEAN, Import("app.errors.base", "app.errors.handlers", 12)), FILES)
    assert [(f.code, f.file, f.line) for f in failures] == [
        ("ARCH.CYCLE", "app/errors/base.py", 12)
    ]
    assert "app.errors.base -> app.errors.handlers -> app.errors.base" in failures[0].message


def test_strongly_connected_components_are_found_and_sorted() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"], "e": ["e"]}
    found = sorted(sorted(component) for component in strongly_connected(graph))
    assert found == [["a", "b", "c"], ["d"], ["e"]]


def test_every_module_with_a_test_file_passes_and_one_without_fires() -> None:
    files = {
        "app/modules/note/router.py": "",
        "app/modules/folder/router.py": "",
        "app/modules/seeded_only/model.py": "",  # no router, so no routes to test
        "tests/modules/test_note.py": "def test_notes() -> None:\n    assert True\n",
        "tests/modules/test_folder.py": "# def test_folders() -> None: ...\n",
    }
    found = [(f.code, f.file) for f in structure_rules(files)]
    assert ("TEST.MODULE_MISSING_TESTS", "app/modules/folder/__init__.py") in found
    assert not any(
        f == ("TEST.MODULE_MISSING_TESTS", "app/modules/note/__init__.py") for f in found
    )
    assert not any("seeded_only" in (f[1] or "") for f in found)
    assert ("STRUCTURE.REQUIRED_FILE", "app/main.py") in found


def test_the_gates_page_lists_every_rule_with_its_summary() -> None:
    page = (ROOT / "docs" / "gates.md").read_text()
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.summary} |" in page


def test_hooks_are_held_to_the_service_layer() -> None:
    files = {**FILES, "app/modules/note/hooks.py": ""}
    clean = (*CLEAN, Import("app.modules.note.service", "app.modules.note.hooks", 9),
             Import("app.modules.note.hooks", "app.modules.note.entity", 3))  # fmt: skip
    assert import_rules(clean, files) == ()
    found = import_rules((*clean, Import("app.modules.note.hooks", "sqlalchemy", 4)), files)
    assert [(f.code, f.file, f.line) for f in found] == [
        ("ARCH.LAYER", "app/modules/note/hooks.py", 4)
    ]
