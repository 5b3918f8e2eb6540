"""Name conversion: every common casing reaches the same identifier; bad names do not convert."""

from __future__ import annotations

import pytest

from deeprun.logic.naming import (
    default_table_name,
    entity_name,
    pluralize,
    singularize,
    to_pascal,
    to_snake,
)


@pytest.mark.parametrize("raw", ["BlogPost", "blogPost", "blog_post", "blog-post", "Blog post"])
def test_common_casings_meet_in_one_identifier(raw: str) -> None:
    assert to_snake(raw) == "blog_post"
    assert to_pascal(raw) == "BlogPost"


@pytest.mark.parametrize(
    ("raw", "snake"),
    [
        ("HTTPStatus", "http_status"),
        ("userID", "user_id"),
        ("addressLine1", "address_line1"),
        ("address_line_1", "address_line_1"),
        ("ID", "id"),
        ("  padded  ", "padded"),
    ],
)
def test_acronyms_and_digits_split_as_people_expect(raw: str, snake: str) -> None:
    assert to_snake(raw) == snake


@pytest.mark.parametrize("raw", ["2fa", "a__b", "_x", "x_", "Café", "a.b", "", "a  b", "x" * 64])
def test_names_that_cannot_become_identifiers_do_not_convert(raw: str) -> None:
    assert to_snake(raw) is None


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("post", "posts"),
        ("category", "categories"),
        ("person", "people"),
        ("address", "addresses"),
        ("status", "statuses"),
        ("box", "boxes"),
        ("day", "days"),
        ("analysis", "analyses"),
        ("news", "news"),
        ("leaf", "leaves"),
        ("hero", "heroes"),
        ("canvas", "canvases"),
        ("line1", "line1"),
    ],
)
def test_plural_and_singular_round_trip(singular: str, plural: str) -> None:
    assert pluralize(singular) == plural
    assert singularize(plural) == singular


@pytest.mark.parametrize(
    ("raw", "name", "table"),
    [
        ("blog_posts", "BlogPost", "blog_posts"),
        ("Categories", "Category", "categories"),
        ("Status", "Status", "statuses"),
        ("person", "Person", "people"),
        ("check-ins", "CheckIn", "check_ins"),
        ("sign ups", "SignUp", "sign_ups"),
        ("Add-on", "AddOn", "add_ons"),
        ("bus", "Bus", "buses"),
    ],
)
def test_entities_are_pascal_singular_with_snake_plural_tables(
    raw: str, name: str, table: str
) -> None:
    assert entity_name(raw) == name
    assert default_table_name(name) == table


@pytest.mark.parametrize("raw", ["BlogPost", "address_line_1", "HTTPStatus", "Order Items"])
def test_conversions_are_idempotent(raw: str) -> None:
    snake, pascal, entity = to_snake(raw), to_pascal(raw), entity_name(raw)
    assert snake is not None and pascal is not None and entity is not None
    assert to_snake(snake) == snake
    assert to_pascal(pascal) == pascal
    assert entity_name(entity) == entity
