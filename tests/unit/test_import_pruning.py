"""Pruning a rendered module's imports: unused names go, used ones stay, the rest is sorted."""

from __future__ import annotations

from deeprun.logic.compiler.imports import prune

DOC = '"""A module."""\n\n'


def module(header: str, body: str) -> str:
    return f"{DOC}from __future__ import annotations\n\n{header}\n\n\n{body}\n"


def test_unused_names_and_statements_are_removed() -> None:
    source = module(
        "import json\nimport uuid\nfrom decimal import Decimal\n\n"
        "from app.types import Money, Price, Rate",
        "def f(x: Decimal) -> Price:\n    return Price(uuid.uuid4(), x)",
    )
    assert prune(source) == module(
        "import uuid\nfrom decimal import Decimal\n\nfrom app.types import Price",
        "def f(x: Decimal) -> Price:\n    return Price(uuid.uuid4(), x)",
    )


def test_a_module_using_every_import_is_unchanged() -> None:
    source = module(
        "import datetime as dt\nfrom decimal import Decimal\n\nfrom app.types import (\n"
        "    Money,\n    Price,\n)",
        "VALUE = (dt.date.today(), Decimal(1), Money, Price)",
    )
    assert prune(source) == source


def test_attributes_keywords_and_string_keys_are_not_uses() -> None:
    body = (
        'data = response.json()\nsent = post(url, json=data)\nMISSING = {"uuid": "0"}\n'
        'kind = MISSING["uuid"]'
    )
    source = module("import json\nimport uuid", body)
    assert prune(source) == f"{DOC}from __future__ import annotations\n\n\n{body}\n"


def test_a_name_met_only_in_a_string_or_comment_is_kept() -> None:
    """Conservative by design: ruff's own pass, run after this one, removes these."""
    source = module("import json\nimport uuid", 'NOTE = "not a uuid"  # nor json\n')
    assert prune(source) == source


def test_annotations_and_default_values_are_uses() -> None:
    source = module(
        "from decimal import Decimal\n\nfrom pydantic import Field",
        "class Row:\n    price: Decimal = Field(ge=0)",
    )
    assert prune(source) == source


def test_a_removed_section_leaves_one_blank_line_between_the_others() -> None:
    source = module("import json\n\nimport pytest\n\nfrom app import x", "y = json.dumps(x)")
    assert prune(source) == module("import json\n\nfrom app import x", "y = json.dumps(x)")


def test_imports_are_sorted_as_ruff_sorts_them() -> None:
    """Straight imports first; modules case folded with numbers compared as numbers; members
    CONSTANTS, then Classes, then the rest."""
    source = module(
        "from app.modules.item10 import router as r10\nfrom app.modules.item2 import router as r2\n"
        "import zeta\nfrom app.x import b10, Cls, b2, ALL, _private",
        "use = (r10, r2, zeta, b10, Cls, b2, ALL, _private)",
    )
    assert prune(source) == module(
        "import zeta\nfrom app.modules.item2 import router as r2\n"
        "from app.modules.item10 import router as r10\n"
        "from app.x import ALL, Cls, _private, b2, b10",
        "use = (r10, r2, zeta, b10, Cls, b2, ALL, _private)",
    )


def test_a_line_too_long_is_wrapped_and_an_expanded_import_stays_expanded() -> None:
    names = [f"name_number_{n}" for n in range(8)]
    body = f"use = ({', '.join(names)}, kept)"
    source = module(
        f"from app.long import {', '.join(names)}\n\n"
        "from app.short import (\n    kept,\n    gone,\n)",
        body,
    )
    members = "".join(f"    {name},\n" for name in names)
    assert prune(source) == module(
        f"from app.long import (\n{members})\n\nfrom app.short import (\n    kept,\n)", body
    )


def test_a_group_with_a_comment_or_an_unusual_form_is_kept_as_written() -> None:
    source = module("import json  # noqa: F401\nimport uuid\n\nfrom app import (a, b)", "x = 1")
    assert prune(source) == source


def test_a_module_that_re_exports_names_is_left_as_written() -> None:
    source = module("import json\n\nfrom app.types import Money", '__all__ = ["Money"]')
    assert prune(source) == source


def test_a_module_without_a_docstring_or_imports_is_unchanged() -> None:
    assert prune("import os\n\nprint(os.sep)\n") == "import os\n\nprint(os.sep)\n"
    assert prune("import os\n\nx = 1\n") == "x = 1\n"
    assert prune('"""Only a docstring."""\n\nx = 1\n') == '"""Only a docstring."""\n\nx = 1\n'
