"""Together, the spec 1.1 examples use every 1.1 key and every allowed value of every enumerated
key, so a compiler that handles the examples handles the whole of 1.1.

The keys and the allowed values come from the Pydantic models of ``deeprun.contracts.spec_ir``:
a key added to spec 1.1 fails here until an example uses it. "Used" means written in the raw
document with a value other than the default; values are compared in the canonical IR that the
project's own review produces.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TypeVar, get_args, get_origin

import pytest
from pydantic import BaseModel

from deeprun.contracts.spec_ir import (
    FIELD_TYPES_11,
    Auth11,
    Database,
    Entity11,
    Field11,
    ListOptions,
    Permissions,
    Relation,
    Spec11,
)
from deeprun.logic.review import review
from deeprun.logic.review.context import PRINCIPAL_KEYWORDS
from tests.specs import EXAMPLES

M = TypeVar("M", bound=BaseModel)

NAMES = sorted(p.name for p in EXAMPLES.glob("*-1.1.json"))
PRIMARY_KEY_TYPES = frozenset({"uuid", "integer"})  # SPEC_IR.md, Field: primary_key

# Every model a 1.1 document is made of.
MODELS: tuple[type[BaseModel], ...] = (
    Spec11,
    Database,
    Auth11,
    Entity11,
    Field11,
    Relation,
    Permissions,
    ListOptions,
)


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    raw: Spec11  # the document as written: ``model_fields_set`` says which keys it writes
    canonical: Spec11  # the canonical IR from review: names converted, defaults explicit


@functools.cache
def examples() -> tuple[Example, ...]:
    loaded = []
    for name in NAMES:
        document = json.loads((EXAMPLES / name).read_text())
        outcome = review(document)
        assert outcome.problems == (), f"{name}: {outcome.problems}"
        assert outcome.canonical is not None
        loaded.append(
            Example(
                name,
                Spec11.model_validate(document),
                Spec11.model_validate(outcome.canonical),
            )
        )
    return tuple(loaded)


def instances(value: object, kind: type[M]) -> Iterator[M]:
    """Every ``kind`` model inside ``value``, depth first in document order."""
    if isinstance(value, kind):
        yield value
    if isinstance(value, BaseModel):
        for key in type(value).model_fields:
            yield from instances(getattr(value, key), kind)
    elif isinstance(value, tuple):
        for item in value:
            yield from instances(item, kind)


def raw(kind: type[M]) -> Iterator[M]:
    for example in examples():
        yield from instances(example.raw, kind)


def canonical(kind: type[M]) -> Iterator[M]:
    for example in examples():
        yield from instances(example.canonical, kind)


def literal_values(annotation: object) -> frozenset[object]:
    """The values a ``Literal`` annotation allows, looking inside unions and ``| None``."""
    if get_origin(annotation) is Literal:
        return frozenset(get_args(annotation))
    return frozenset(v for arg in get_args(annotation) for v in literal_values(arg))


def written(model: BaseModel, key: str) -> bool:
    """Whether the document writes ``key`` with a value other than its default."""
    info = type(model).model_fields[key]
    default = info.get_default(call_default_factory=True)
    return key in model.model_fields_set and getattr(model, key) != default


def spelled(model: type[BaseModel], key: str) -> str:
    """``key`` as a document spells it (``list_options`` is ``list``)."""
    return f"{model.__name__}.{model.model_fields[key].alias or key}"


OPTIONAL_KEYS = [
    (model, key)
    for model in MODELS
    for key, info in model.model_fields.items()
    if not info.is_required() and len(literal_values(info.annotation)) != 1
]
ENUMERATED_KEYS = [
    (model, key)
    for model in MODELS
    for key, info in model.model_fields.items()
    if literal_values(info.annotation)
]


def test_there_are_at_least_four_1_1_examples() -> None:
    assert len(NAMES) >= 4, NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_1_1_example_passes_review(name: str) -> None:
    document = json.loads((EXAMPLES / name).read_text())
    assert review(document).problems == ()
    assert document["spec_version"] == "1.1"


def test_the_key_lists_come_from_the_models() -> None:
    """A sanity check that the derivation above sees the 1.1 keys the brief names."""
    keys = {spelled(m, k) for m, k in OPTIONAL_KEYS}
    assert {
        "Field11.default",
        "Field11.description",
        "Field11.pattern",
        "Field11.format",
        "Field11.precision",
        "Field11.values",
        "Field11.read_only",
        "Field11.write_only",
        "Entity11.relations",
        "Entity11.seed",
        "Entity11.list",
        "Auth11.refresh_token_expiry_minutes",
        "Auth11.registration",
        "Relation.back_populates",
        "ListOptions.max_page_size",
    } <= keys
    assert {spelled(m, k) for m, k in ENUMERATED_KEYS} >= {
        "Field11.type",
        "Field11.format",
        "Relation.kind",
        "Relation.on_delete",
        "Auth11.registration",
    }


@pytest.mark.parametrize(
    ("model", "key"), OPTIONAL_KEYS, ids=[spelled(m, k) for m, k in OPTIONAL_KEYS]
)
def test_every_optional_key_is_written_with_a_non_default_value(
    model: type[BaseModel], key: str
) -> None:
    assert any(written(m, key) for m in raw(model)), (
        f"no 1.1 example writes {spelled(model, key)} with a non-default value"
    )


@pytest.mark.parametrize(
    ("model", "key"), ENUMERATED_KEYS, ids=[spelled(m, k) for m, k in ENUMERATED_KEYS]
)
def test_every_allowed_value_of_an_enumerated_key_is_used(model: type[BaseModel], key: str) -> None:
    allowed = literal_values(model.model_fields[key].annotation)
    used = {getattr(m, key) for m in canonical(model)}
    assert allowed <= used, f"{spelled(model, key)}: unused {sorted(map(str, allowed - used))}"


def test_every_field_type_is_used() -> None:
    used = {f.type for f in canonical(Field11)}
    assert used >= FIELD_TYPES_11, sorted(FIELD_TYPES_11 - used)


def test_both_primary_key_types_are_used() -> None:
    used = {f.type for f in canonical(Field11) if f.primary_key}
    assert used == PRIMARY_KEY_TYPES


def test_both_string_formats_and_nullable_and_unique_fields_are_used() -> None:
    fields = [f for f in raw(Field11) if not f.primary_key]
    assert {f.format for f in fields} >= {"email", "url"}
    assert any(f.nullable for f in fields)
    assert any(f.unique for f in fields)
    assert any(f.minimum is not None and f.maximum is not None for f in fields)
    assert any(f.min_length is not None and f.max_length is not None for f in fields)
    assert any(f.precision is not None and f.scale is not None for f in fields)


def test_a_relation_refers_to_its_own_entity() -> None:
    assert any(
        relation.target == entity.name
        for entity in canonical(Entity11)
        for relation in entity.relations
    )


def test_a_reverse_collection_is_named_for_every_relation_kind() -> None:
    kinds = {r.kind for r in canonical(Relation) if r.back_populates is not None}
    assert kinds == literal_values(Relation.model_fields["kind"].annotation)


def test_a_nullable_relation_sets_null_on_delete() -> None:
    assert any(r.nullable and r.on_delete == "set_null" for r in canonical(Relation))


def test_a_list_sorts_descending_by_default() -> None:
    sorts = [o.default_sort or "" for o in canonical(ListOptions)]
    assert any(s.startswith("-") for s in sorts), sorts


def test_every_kind_of_principal_is_written() -> None:
    """A role other than admin, and each keyword, in an operation the document spells out."""
    used: set[str] = set()
    for example in examples():
        roles = set(example.canonical.auth.roles) - {"admin"}
        for written_entity, entity in zip(
            example.raw.entities, example.canonical.entities, strict=True
        ):
            if written_entity.permissions is None or entity.permissions is None:
                continue
            for operation in Permissions.model_fields:
                if getattr(written_entity.permissions, operation) is None:
                    continue
                for principal in getattr(entity.permissions, operation) or ():
                    used.add("a role" if principal in roles else principal)
    assert used >= {*PRINCIPAL_KEYWORDS, "a role"}, sorted(used)


def test_refresh_tokens_are_both_disabled_and_enabled() -> None:
    expiries = {a.refresh_token_expiry_minutes for a in canonical(Auth11)}
    assert 0 in expiries
    assert expiries - {0}


def test_the_account_entity_is_declared_with_extra_fields() -> None:
    users = [e for e in canonical(Entity11) if e.name == "User"]
    assert any(len(u.fields) > 1 for u in users)
