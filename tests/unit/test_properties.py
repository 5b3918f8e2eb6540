"""Property tests: review never raises, and always returns the canonical IR or known problems."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from deeprun.contracts.problems import ProblemCode
from deeprun.logic.canonical_json import canonical_bytes
from deeprun.logic.documents import parse_document
from deeprun.logic.review import review
from tests.specs import base_11, example

KNOWN = set(ProblemCode)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
interesting: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        True,
        0,
        -1,
        10**30,
        1.5,
        "",
        "x",
        "User",
        "order",
        "2fa",
        "uuid",
        "enum",
        "decimal",
        "many_to_one",
        "set_null",
        "owner",
        "public",
        "admin",
        [],
        {},
        ["a", "a"],
        "\x00",
        "é",
        "1.0",
        "1.1",
    ]
)


def assert_well_formed(document: Any) -> None:
    outcome = review(document)
    if outcome.canonical is None:
        assert outcome.problems
        assert {p.code for p in outcome.problems} <= KNOWN
        assert all(p.path == "" or p.path.startswith("/") for p in outcome.problems)
    else:
        assert outcome.problems == ()
        again = review(json.loads(canonical_bytes(outcome.canonical)))
        assert again.canonical == outcome.canonical


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    document = draw(
        st.sampled_from([base_11(), example("shop-1.0.json"), example("blog-1.1.json")])
    )
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths(document)))
        if not path:
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        value = draw(interesting | json_values)
        if action == "delete" and isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = value
        elif action == "add" and isinstance(parent, list):
            clone = bool(parent) and draw(st.booleans())
            parent.append(copy.deepcopy(parent[0]) if clone else value)
        else:
            parent[path[-1]] = value
    return document


@given(json_values)
def test_review_of_any_json_value_never_raises(document: Any) -> None:
    assert_well_formed(document)


@given(mutated())
def test_review_of_a_mutated_spec_never_raises(document: Any) -> None:
    assert_well_formed(document)


@given(st.binary(max_size=200))
def test_any_bytes_are_a_document_or_an_inputs_error(data: bytes) -> None:
    from deeprun.contracts.errors import InputError

    try:
        document = parse_document(data)
    except InputError:
        return
    assert_well_formed(document)
