"""Every review code fires on a document made to break its rule, at the right JSON pointer, and
stays silent on a near miss: a document that comes close to the rule and is valid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deeprun.contracts.problems import ProblemCode
from tests.specs import base_11, codes, example

Doc = dict[str, Any]
Mutation = Callable[[Doc], object]


def folder(d: Doc) -> Doc:
    entity: Doc = d["entities"][0]
    return entity


def note(d: Doc) -> Doc:
    entity: Doc = d["entities"][1]
    return entity


def note_field(d: Doc, index: int) -> Doc:
    field: Doc = note(d)["fields"][index]
    return field


def relation(d: Doc) -> Doc:
    rel: Doc = note(d)["relations"][0]
    return rel


def many_entities(count: int) -> Callable[[Doc], object]:
    def mutate(d: Doc) -> None:
        d["entities"] = [
            {"name": f"Entity{n}", "fields": [{"name": "id", "type": "uuid", "primary_key": True}]}
            for n in range(count)
        ]

    return mutate


def as_10(d: Doc) -> None:
    d.clear()
    d.update(example("shop-1.0.json"))


def as_10_with(key: str, value: object) -> Mutation:
    def mutate(d: Doc) -> None:
        as_10(d)
        d["entities"][1][key] = value

    return mutate


def as_10_field_type(kind: str) -> Mutation:
    def mutate(d: Doc) -> None:
        as_10(d)
        d["entities"][1]["fields"][2]["type"] = kind

    return mutate


def cycle(nullable: bool) -> Mutation:
    def mutate(d: Doc) -> None:
        relation(d)["nullable"] = False
        folder(d)["relations"] = [
            {"name": "pinned", "kind": "many_to_one", "target": "Note", "nullable": nullable}
        ]

    return mutate


FIRES: list[tuple[ProblemCode, Mutation, str]] = [
    (
        ProblemCode.SCHEMA,
        lambda d: d["auth"].update(access_token_expiry_minutes=1441),
        "/auth/access_token_expiry_minutes",
    ),
    (ProblemCode.SCHEMA, lambda d: d["auth"].update(enabled="yes"), "/auth/enabled"),
    (ProblemCode.SCHEMA, lambda d: d.pop("database"), "/database"),
    (ProblemCode.UNKNOWN_KEY, lambda d: folder(d).update(colour="red"), "/entities/0/colour"),
    (ProblemCode.VERSION_FEATURE, as_10_with("timestamps", True), "/entities/1/timestamps"),
    (
        ProblemCode.INVALID_IDENTIFIER,
        lambda d: note_field(d, 1).update(name="2fa"),
        "/entities/1/fields/1/name",
    ),
    (
        ProblemCode.INVALID_IDENTIFIER,
        lambda d: folder(d).update(name="Fol$der"),
        "/entities/0/name",
    ),
    (
        ProblemCode.RESERVED_NAME,
        lambda d: note_field(d, 1).update(name="order"),
        "/entities/1/fields/1/name",
    ),
    (ProblemCode.RESERVED_NAME, lambda d: d.update(project_name="fastapi"), "/project_name"),
    (
        ProblemCode.RESERVED_NAME,
        lambda d: folder(d).update(table_name="as"),
        "/entities/0/table_name",
    ),
    (
        ProblemCode.RESERVED_NAME,
        lambda d: note(d).update(
            timestamps=True, fields=[*note(d)["fields"], {"name": "created_at", "type": "datetime"}]
        ),
        "/entities/1/fields/5/name",
    ),
    (
        ProblemCode.DUPLICATE_ENTITY,
        lambda d: d["entities"].append(
            {**folder(d), "name": "folders", "table_name": "more_folders"}
        ),
        "/entities/2/name",
    ),
    (
        ProblemCode.DUPLICATE_TABLE,
        lambda d: folder(d).update(table_name="notes"),
        "/entities/1/table_name",
    ),
    (
        ProblemCode.DUPLICATE_FIELD,
        lambda d: folder(d)["fields"].append({"name": "Title", "type": "string"}),
        "/entities/0/fields/2/name",
    ),
    (
        ProblemCode.DUPLICATE_FIELD,
        lambda d: note(d)["fields"].append({"name": "folder_id", "type": "uuid"}),
        "/entities/1/relations/0/name",
    ),
    (
        ProblemCode.DUPLICATE_VALUE,
        lambda d: note_field(d, 4).update(values=["plain", "Plain"]),
        "/entities/1/fields/4/values/1",
    ),
    (
        ProblemCode.MISSING_PRIMARY_KEY,
        lambda d: folder(d)["fields"][0].update(primary_key=False),
        "/entities/0/fields",
    ),
    (
        ProblemCode.MULTIPLE_PRIMARY_KEYS,
        lambda d: folder(d)["fields"].append(
            {"name": "alt_id", "type": "uuid", "primary_key": True}
        ),
        "/entities/0/fields/2/primary_key",
    ),
    (
        ProblemCode.PRIMARY_KEY_TYPE,
        lambda d: folder(d)["fields"][0].update(type="string"),
        "/entities/0/fields/0/type",
    ),
    (
        ProblemCode.INVALID_FIELD_TYPE,
        lambda d: note_field(d, 1).update(type="money"),
        "/entities/1/fields/1/type",
    ),
    (
        ProblemCode.INVALID_FIELD_TYPE,
        as_10_field_type("decimal"),
        "/entities/1/fields/2/type",
    ),
    (
        ProblemCode.CONSTRAINT_MISMATCH,
        lambda d: note_field(d, 2).update(min_length=1),
        "/entities/1/fields/2/min_length",
    ),
    (
        ProblemCode.CONSTRAINT_MISMATCH,
        lambda d: note_field(d, 2).update(minimum=5, maximum=1),
        "/entities/1/fields/2/minimum",
    ),
    (
        ProblemCode.CONSTRAINT_MISMATCH,
        lambda d: folder(d)["fields"][1].update(pattern="(["),
        "/entities/0/fields/1/pattern",
    ),
    (
        ProblemCode.DEFAULT_TYPE,
        lambda d: note_field(d, 4).update(default="fancy"),
        "/entities/1/fields/4/default",
    ),
    (
        ProblemCode.DEFAULT_TYPE,
        lambda d: note_field(d, 3).update(default="12.345"),
        "/entities/1/fields/3/default",
    ),
    (
        ProblemCode.DEFAULT_TYPE,
        lambda d: note(d)["fields"].append(
            {"name": "due", "type": "datetime", "default": "2026-01-01T09:00:00"}
        ),
        "/entities/1/fields/5/default",
    ),
    (
        ProblemCode.RELATION_TARGET_UNKNOWN,
        lambda d: relation(d).update(target="Drawer"),
        "/entities/1/relations/0/target",
    ),
    (ProblemCode.RELATION_CYCLE, cycle(nullable=False), "/entities/0/relations/0"),
    (
        ProblemCode.RELATION_SET_NULL_NOT_NULLABLE,
        lambda d: relation(d).update(nullable=False, on_delete="set_null"),
        "/entities/1/relations/0/on_delete",
    ),
    (
        ProblemCode.OWNED_REQUIRES_AUTH,
        lambda d: d["auth"].update(enabled=False),
        "/entities/1/owned",
    ),
    (
        ProblemCode.UNKNOWN_ROLE,
        lambda d: folder(d).update(permissions={"read": ["editor"]}),
        "/entities/0/permissions/read/0",
    ),
    (
        ProblemCode.UNKNOWN_ROLE,
        lambda d: folder(d).update(permissions={"read": ["owner"]}),
        "/entities/0/permissions/read/0",
    ),
    (ProblemCode.UNKNOWN_ROLE, lambda d: d["auth"].update(roles=["user"]), "/auth/roles"),
    (
        ProblemCode.UNKNOWN_REFERENCE,
        lambda d: folder(d).update(list={"sortable": ["colour"]}),
        "/entities/0/list/sortable/0",
    ),
    (
        ProblemCode.UNKNOWN_REFERENCE,
        lambda d: folder(d).update(unique_together=[["title", "colour"]]),
        "/entities/0/unique_together/0/1",
    ),
    (ProblemCode.LIMIT, many_entities(201), "/entities"),
    (
        ProblemCode.LIMIT,
        lambda d: note_field(d, 4).update(values=[f"v{n}" for n in range(101)]),
        "/entities/1/fields/4/values",
    ),
]

NEAR_MISSES: list[tuple[str, Mutation]] = [
    ("expiry at its maximum", lambda d: d["auth"].update(access_token_expiry_minutes=1440)),
    ("a known optional key", lambda d: folder(d).update(crud=False)),
    ("a 1.1 key in a 1.1 document", lambda d: folder(d).update(timestamps=True)),
    ("a 1.0 document with only 1.0 keys", as_10),
    (
        "names in any common casing",
        lambda d: (
            folder(d).update(name="Blog post"),
            relation(d).update(target="blog-posts"),
            note_field(d, 1).update(name="bodyText"),
        ),
    ),
    ("a word that contains a reserved word", lambda d: note_field(d, 1).update(name="order_no")),
    (
        "a managed column name without its flag",
        lambda d: note(d)["fields"].append({"name": "created_at", "type": "datetime"}),
    ),
    ("a similar entity name", lambda d: d["entities"].append({**folder(d), "name": "FolderItem"})),
    ("an explicit distinct table", lambda d: folder(d).update(table_name="note_folders")),
    (
        "a name whose default table would be reserved",
        lambda d: (folder(d).update(name="A"), relation(d).update(target="A")),
    ),
    (
        "a similar field name",
        lambda d: folder(d)["fields"].append({"name": "subtitle", "type": "string"}),
    ),
    ("similar enum values", lambda d: note_field(d, 4).update(values=["plain", "plainer"])),
    ("an integer primary key", lambda d: folder(d)["fields"][0].update(type="integer")),
    ("a 1.1 type in 1.1", lambda d: note_field(d, 1).update(type="decimal")),
    ("bounds on a number", lambda d: note_field(d, 2).update(minimum=1, maximum=5)),
    ("a valid pattern", lambda d: folder(d)["fields"][1].update(pattern="^[A-Z].*$")),
    ("a default among the values", lambda d: note_field(d, 4).update(default="rich")),
    ("a decimal default that fits", lambda d: note_field(d, 3).update(default="12.34")),
    (
        "an aware datetime default",
        lambda d: note(d)["fields"].append(
            {"name": "due", "type": "datetime", "default": "2026-01-01T09:00:00+02:00"}
        ),
    ),
    ("a target in another casing", lambda d: relation(d).update(target="folders")),
    ("a cycle broken by a nullable link", cycle(nullable=True)),
    ("set_null on a nullable relation", lambda d: relation(d).update(on_delete="set_null")),
    (
        "auth off with nothing owned",
        lambda d: (d["auth"].update(enabled=False), note(d).update(owned=False)),
    ),
    (
        "a declared role",
        lambda d: (
            d["auth"].update(roles=["admin", "editor", "user"]),
            folder(d).update(permissions={"read": ["editor", "public"]}),
        ),
    ),
    ("owner on an owned entity", lambda d: note(d).update(permissions={"update": ["owner"]})),
    ("a known sortable field", lambda d: folder(d).update(list={"sortable": ["title"]})),
    (
        "a relation in unique_together",
        lambda d: note(d).update(unique_together=[["folder", "body"]]),
    ),
    ("200 entities", many_entities(200)),
    (
        "100 enum values",
        lambda d: note_field(d, 4).update(values=["plain", *(f"v{n}" for n in range(99))]),
    ),
]


@pytest.mark.parametrize(
    ("code", "mutate", "path"), FIRES, ids=[f"{c.value}@{p}" for c, _, p in FIRES]
)
def test_a_broken_rule_is_reported_with_its_code_and_pointer(
    code: ProblemCode, mutate: Mutation, path: str
) -> None:
    document = base_11()
    mutate(document)
    assert (code.value, path) in codes(document)


@pytest.mark.parametrize(("label", "mutate"), NEAR_MISSES, ids=[n for n, _ in NEAR_MISSES])
def test_a_near_miss_is_a_valid_spec(label: str, mutate: Mutation) -> None:
    document = base_11()
    mutate(document)
    assert codes(document) == set()


def test_every_review_code_has_a_case_that_fires_it() -> None:
    fired = {code for code, _, _ in FIRES}
    assert fired == set(ProblemCode)
