"""Review as a whole: valid documents pass, every problem is reported at once, canonical output
is stable byte for byte."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from deeprun.logic.canonical_json import canonical_bytes
from deeprun.logic.review import review
from tests.specs import EXAMPLES, base_11, codes, example

EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.json"))


def canonical(document: Any) -> bytes:
    outcome = review(document)
    assert outcome.problems == ()
    assert outcome.canonical is not None
    return canonical_bytes(outcome.canonical)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_example_is_a_valid_spec(name: str) -> None:
    assert review(example(name)).problems == ()


def test_examples_cover_both_versions() -> None:
    assert {example(n)["spec_version"] for n in EXAMPLE_FILES} == {"1.0", "1.1"}


def test_a_1_0_document_upgraded_to_1_1_is_valid() -> None:
    document = example("shop-1.0.json")
    document["spec_version"] = "1.1"
    assert review(document).problems == ()


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_normalizing_the_canonical_ir_changes_nothing(name: str) -> None:
    once = canonical(example(name))
    assert canonical(json.loads(once)) == once


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_a_shuffled_key_copy_normalizes_to_the_same_bytes(name: str) -> None:
    def shuffle(value: Any, rng: random.Random) -> Any:
        if isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            return {k: shuffle(v, rng) for k, v in items}
        if isinstance(value, list):
            return [shuffle(v, rng) for v in value]
        return value

    document = example(name)
    for seed in range(5):
        assert canonical(shuffle(document, random.Random(seed))) == canonical(document)


def test_canonical_ir_has_names_converted_and_defaults_explicit() -> None:
    ir: Any = review(example("blog-1.1.json")).canonical
    assert ir["project_name"] == "blog_api"
    entities = {e["name"]: e for e in ir["entities"]}
    assert list(entities) == ["Author", "BlogPost", "Tag", "Comment"]
    post = entities["BlogPost"]
    assert post["table_name"] == "blog_posts"
    fields = {f["name"]: f for f in post["fields"]}
    assert fields["status"]["values"] == ["draft", "published", "archived"]
    assert fields["rating"]["default"] == "4.5"
    assert fields["title"]["max_length"] == 200
    assert fields["slug"]["max_length"] == 255
    assert post["permissions"] == {
        "create": ["admin", "editor"],
        "read": ["public"],
        "update": ["admin", "owner"],
        "delete": ["admin", "owner"],
    }
    assert post["relations"][0]["target"] == "Author"
    assert entities["Tag"]["list"]["default_sort"] == "id"
    assert entities["Comment"]["list"]["filterable"] == ["post"]


def test_every_problem_is_reported_at_once() -> None:
    document = base_11()
    document["entities"][0]["fields"][1]["name"] = "select"
    document["entities"].append({"name": "Tag", "fields": [{"name": "id", "type": "money"}]})
    document["entities"][1]["relations"][0]["target"] = "Nowhere"
    document["auth"]["default_role"] = "guest"
    found = {code for code, _ in codes(document)}
    assert found == {
        "SPEC_RESERVED_NAME",
        "SPEC_INVALID_FIELD_TYPE",
        "SPEC_RELATION_TARGET_UNKNOWN",
        "SPEC_UNKNOWN_ROLE",
    }


def test_a_broken_entity_does_not_hide_problems_in_the_others() -> None:
    document = base_11()
    document["entities"][1]["fields"][1]["type"] = "money"
    document["entities"][0]["fields"][1]["name"] = "select"
    assert codes(document) == {
        ("SPEC_INVALID_FIELD_TYPE", "/entities/1/fields/1/type"),
        ("SPEC_RESERVED_NAME", "/entities/0/fields/1/name"),
    }


def test_a_relation_to_a_broken_entity_is_not_reported_as_unknown() -> None:
    document = base_11()
    document["entities"][0]["fields"][1]["type"] = "money"
    assert codes(document) == {("SPEC_INVALID_FIELD_TYPE", "/entities/0/fields/1/type")}


def test_problems_come_in_document_order() -> None:
    document = base_11()
    for index in (1, 0):
        document["entities"][index]["fields"][1]["name"] = "select"
    paths = [p.path for p in review(document).problems]
    assert paths == ["/entities/0/fields/1/name", "/entities/1/fields/1/name"]


def test_a_document_that_is_not_an_object_is_a_schema_problem() -> None:
    assert codes([1, 2]) == {("SPEC_SCHEMA", "")}


def test_an_unknown_spec_version_is_reported_with_the_other_problems() -> None:
    document = base_11()
    document["spec_version"] = "2.0"
    document["entities"][0]["colour"] = "red"
    assert codes(document) == {
        ("SPEC_SCHEMA", "/spec_version"),
        ("SPEC_UNKNOWN_KEY", "/entities/0/colour"),
    }


def test_a_default_table_that_would_be_reserved_gets_a_suffix() -> None:
    document = base_11()
    document["entities"][0]["name"] = "A"
    document["entities"][1]["relations"][0]["target"] = "A"
    ir: Any = review(document).canonical
    assert ir["entities"][0]["table_name"] == "as_table"
