"""The values the generated tests send and the decimals the generated app returns.

The generated helpers are run here, without a database: ``tests/support.py`` of a project
without auth needs only httpx, ``app/common/types.py`` only pydantic. A factory's values are the
expressions in its ``return {...}``, evaluated with the helpers and a row counter ``n``.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
import sys
import types
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from pydantic import create_model

from deeprun.contracts.spec_ir import Field11
from deeprun.logic.canonical_json import canonical_bytes
from deeprun.logic.compiler import as_version_11, plan, samples
from deeprun.logic.compiler.project import project_view
from deeprun.logic.compiler.view import column_view
from deeprun.services.specs import normalize
from tests.specs import EXAMPLES


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    result = normalize(canonical_bytes(document))
    assert result.canonical is not None
    return result.canonical


def spec(*entities: dict[str, Any]) -> dict[str, Any]:
    """A 1.1 spec without auth (its generated support imports nothing of the app)."""
    return {
        "spec_version": "1.1",
        "project_name": "values_api",
        "description": "",
        "database": {"type": "postgres", "version": "17"},
        "auth": {"enabled": False},
        "entities": list(entities),
    }


def entity(name: str, *fields: dict[str, Any], **keys: Any) -> dict[str, Any]:
    return {"name": name, "fields": [{"name": "id", "type": "uuid", "primary_key": True}, *fields],
            **keys}  # fmt: skip


def tree_of(document: dict[str, Any]) -> dict[str, str]:
    return {path: data.decode() for path, data in plan(canonical(document)).items()}


def load(source: str, name: str) -> types.ModuleType:
    """Generated source run as a module (dataclasses look their module up while it runs)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(source, name, "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def payload(tree: dict[str, str], package: str) -> dict[str, str]:
    """Field name -> the expression the factory of ``package`` sends."""
    source = tree["tests/factories.py"]
    function = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.AsyncFunctionDef) and node.name == f"{package}_payload"
    )
    returned = next(node.value for node in ast.walk(function) if isinstance(node, ast.Return))
    assert isinstance(returned, ast.Dict)
    found: dict[str, str] = {}
    for key, value in zip(returned.keys, returned.values, strict=True):
        assert isinstance(key, ast.Constant)
        assert isinstance(key.value, str)
        segment = ast.get_source_segment(source, value)
        assert segment is not None
        found[key.value] = segment
    return found


def rows(tree: dict[str, str], package: str, count: int) -> Iterator[dict[str, Any]]:
    """The factory's values for rows 1 to ``count`` of its table."""
    helpers = load(tree["tests/support.py"], "generated_support").__dict__
    expressions = payload(tree, package)
    for n in range(1, count + 1):
        yield {name: eval(code, {**helpers, "n": n}) for name, code in expressions.items()}


# --- decimals are written in fixed-point notation -------------------------------------------

WIDE = {"name": "budget", "type": "decimal", "precision": 38, "scale": 10, "minimum": 0}


def test_a_response_decimal_is_fixed_point_whatever_its_scale() -> None:
    tree = tree_of(spec(entity("Round", WIDE)))
    assert "budget: FixedPointDecimal" in tree["app/modules/round/dto.py"]
    fixed = load(tree["app/common/types.py"], "generated_types").FixedPointDecimal
    model = create_model("Public", budget=(fixed, ...), maybe=(fixed | None, None))
    cases = [("0E-10", "0.0000000000"), ("5E-10", "0.0000000005"), ("1E-7", "0.0000001"),
             ("1E+3", "1000"), ("-2.50", "-2.50")]  # fmt: skip
    for stored, written in cases:
        dumped = json.loads(model(budget=Decimal(stored), maybe=Decimal(stored)).model_dump_json())
        assert dumped == {"budget": written, "maybe": written}
    assert model(budget=Decimal("1E-7")).model_dump()["budget"] == Decimal("1E-7")  # Python mode


def test_the_decimals_the_tests_send_come_back_as_sent() -> None:
    """What the column stores (quantized to its scale) serializes to the very string sent."""
    tree = tree_of(spec(entity("Round", WIDE)))
    fixed = load(tree["app/common/types.py"], "generated_types").FixedPointDecimal
    model = create_model("Public", budget=(fixed, ...))
    for row in rows(tree, "round", 50):
        stored = Decimal(row["budget"]).quantize(Decimal("1E-10"))
        assert json.loads(model(budget=stored).model_dump_json())["budget"] == row["budget"]


def test_a_decimal_default_is_expected_in_fixed_point() -> None:
    field = Field11.model_validate(
        canonical(spec(entity("Round", {**WIDE, "default": 0})))["entities"][0]["fields"][1]
    )
    assert field.default == "0E-10"  # the canonical text
    assert column_view(field).default_json == "'0.0000000000'"


# --- patterns: a different string for every row, as long as the pattern has them -------------

PATTERNS = [
    ("^[0-9]{3}$", 0, 3),
    ("^E-[0-9]{5}$", 0, 7),
    ("^[0-9]{1,3}[A-Z]?$", 0, 4),
    ("^[0-9]{6}$", 0, 6),
    ("^[A-Z]{3}$", 3, 3),
    ("^[A-Z]{2}$", 0, 2),
    ("^[a-z]+$", 3, 20),
    ("^(MTR|HOM)-[0-9]{7}$", 0, 11),
    ("^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$", 0, 14),
    ("^[0-2][0-9]:[0-5][0-9]$", 0, 5),
    ("^(?!admin)[a-z]{5}$", 0, 5),
    ("^x*$", 0, 10),
]


@pytest.fixture(scope="module")
def support() -> types.ModuleType:
    return load(tree_of(spec(entity("Thing")))["tests/support.py"], "generated_support")


@pytest.mark.parametrize(("pattern", "shortest", "longest"), PATTERNS)
def test_matching_gives_distinct_fitting_strings_until_the_pattern_runs_out(
    support: types.ModuleType, pattern: str, shortest: int, longest: int
) -> None:
    made = [support.matching(pattern, n, shortest, longest) for n in range(1, 1201)]
    assert all(re.search(pattern, text) and shortest <= len(text) <= longest for text in made)
    assert len(set(made)) == min(1200, support.matching_count(pattern, shortest, longest))
    assert made == [support.matching(pattern, n, shortest, longest) for n in range(1, 1201)]


def test_matching_counts_the_last_choice_fastest(support: types.ModuleType) -> None:
    assert [support.matching("^E-[0-9]{5}$", n, 0, 7) for n in (1, 2, 10)] == [
        "E-00001", "E-00002", "E-00010",
    ]  # fmt: skip
    assert support.matching_count("^[0-9]{3}$", 0, 3) == 1000
    assert support.matching_count("^[0-9]{1,3}[A-Z]?$", 0, 4) == (10 + 100 + 1000) * 27
    assert support.matching_count("^[0-9]{1,3}[A-Z]?$", 3, 3) == 1000 + 2600


def test_every_example_pattern_gets_distinct_values(support: types.ModuleType) -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        for item in json.loads(path.read_text())["entities"]:
            for field in item["fields"]:
                if field.get("pattern") is None:
                    continue
                bounds = field.get("min_length") or 0, field.get("max_length") or 255
                made = [support.matching(field["pattern"], n, *bounds) for n in range(1, 301)]
                assert all(re.search(field["pattern"], text) for text in made), path.name
                count = support.matching_count(field["pattern"], *bounds)
                assert len(set(made)) == min(300, count), (path.name, field["name"])


def test_unique_pattern_fields_of_a_factory_never_repeat() -> None:
    codes = [("employee_code", "^E-[0-9]{5}$", 7), ("room_code", "^[0-9]{1,3}[A-Z]?$", 4),
             ("staff_number", "^[0-9]{6}$", 6), ("gate", "^[0-9]{3}$", 3)]  # fmt: skip
    fields = [{"name": n, "type": "string", "pattern": p, "max_length": m, "unique": True}
              for n, p, m in codes]  # fmt: skip
    made = list(rows(tree_of(spec(entity("Staff", *fields))), "staff", 1000))
    for name, _, _ in codes:
        assert len({row[name] for row in made}) == 1000, name


# --- compound unique keys: the columns take the counter in mixed radix -----------------------

MAT = {"name": "mat", "type": "integer", "minimum": 1, "maximum": 12}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@pytest.mark.parametrize("days", [DAYS, DAYS[:6]])
def test_a_compound_key_repeats_only_after_every_combination(days: list[str]) -> None:
    weekday = {"name": "weekday", "type": "enum", "values": days}
    table = entity("Slot", MAT, weekday, unique_together=[["mat", "weekday"]])
    made = [(row["mat"], row["weekday"]) for row in rows(tree_of(spec(table)), "slot", 12 * 7)]
    assert len(set(made[: 12 * len(days)])) == 12 * len(days)


def test_each_table_counts_its_own_rows(support: types.ModuleType) -> None:
    """A key with few combinations lasts for as many rows of its table, whatever else the
    session makes between them."""
    taken = [support.next_n("slots"), support.next_n(), support.next_n("other"),
             support.next_n("slots")]  # fmt: skip
    assert taken[0] + 1 == taken[3]
    tree = tree_of(spec(entity("Slot", MAT)))
    assert 'n = next_n("slots")' in tree["tests/factories.py"]


def test_a_key_with_an_unbounded_or_unique_column_is_left_alone() -> None:
    code = {"name": "code", "type": "string", "unique": True}
    title = {"name": "title", "type": "string"}
    table = entity("Slot", MAT, code, title, unique_together=[["mat", "code"], ["mat", "title"]])
    view = project_view(as_version_11(canonical(spec(table))))
    module = next(m for m in view.modules if m.name == "Slot")
    assert {c.name: v for c, v in module.factory_samples}["mat"] == "number_in(n, 1, 12)"


def test_counters_fold_numbers_and_keep_counted_patterns() -> None:
    assert samples.counters([[("a", "12"), ("b", "7")]]) == {"a": "n // 7", "b": "n % 7"}
    assert samples.counters([[("a", "2"), ("b", "3"), ("c", "5")]]) == {
        "a": "n // 15", "b": "n // 5 % 3", "c": "n % 5",
    }  # fmt: skip
    assert samples.counters([[("a", "12"), ("b", "count()"), ("c", "1")]]) == {
        "a": "n // count()", "b": "n % count()",
    }  # fmt: skip
    assert samples.counters([[("a", "12"), ("b", None)], [("c", "1"), ("d", "4")]]) == {}


# --- list checks look past the first page -----------------------------------------------------


class Pages:
    """A list endpoint over ``rows`` that answers like the generated app: one page per call."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.calls = 0

    async def get(self, url: str, params: dict[str, Any], headers: dict[str, str]) -> Any:
        self.calls += 1
        offset, limit = params["offset"], params["limit"]
        body = {"items": self.rows[offset : offset + limit], "total": len(self.rows)}
        return types.SimpleNamespace(status_code=200, text="", json=lambda: body)


def test_every_item_walks_the_pages(support: types.ModuleType) -> None:
    pages = Pages([{"id": i} for i in range(7)])
    api = support.Api(pages, None, {}, {})
    found = asyncio.run(support.every_item(api, "/a", {"q": "x"}, 1))
    assert [item["id"] for item in found] == list(range(7))
    assert pages.calls == 7


def test_search_and_filter_tests_look_at_every_page() -> None:
    letter = {"name": "b", "type": "string", "min_length": 1, "max_length": 1}
    options = {"max_page_size": 1, "filterable": ["b"], "searchable": ["b"]}
    tests = tree_of(spec(entity("A", letter, list=options)))["tests/modules/test_a.py"]
    search = tests[tests.index("async def test_search_") :]
    assert 'every_item(api, URL, {"q": term.upper()}, 1)' in search
    assert 'every_item(api, URL, {"b": query_value}, 1)' in tests
