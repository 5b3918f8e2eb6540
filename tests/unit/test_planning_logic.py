"""Backoff, the capability table, answer fences and corpus scoring."""

from __future__ import annotations

import pytest

from deeprun.logic.planning.backoff import RetryPolicy, delay
from deeprun.logic.planning.capabilities import capabilities
from deeprun.logic.planning.prompt import strip_fence
from deeprun.logic.planning.scoring import expected_shape, planned_shape, score
from deeprun.logic.review import review
from tests.specs import base_11


def test_backoff_doubles_up_to_the_cap_and_jitter_spreads_half_of_it() -> None:
    policy = RetryPolicy(calls=8, base_seconds=0.5, cap_seconds=4.0)
    assert [delay(policy, n, 0.0, None) for n in (1, 2, 3, 4, 5)] == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert delay(policy, 3, 0.999, None) == pytest.approx(1.999)


def test_retry_after_wins_over_backoff_up_to_its_ceiling() -> None:
    policy = RetryPolicy(max_retry_after=10.0)
    assert delay(policy, 1, 0.0, 3.0) == 3.0
    assert delay(policy, 1, 0.0, 600.0) == 10.0
    assert delay(policy, 1, 0.0, 0.01) == 0.25


def test_the_longest_prefix_of_the_table_wins() -> None:
    assert capabilities("anthropic", "claude-3-7-sonnet-latest").temperature
    assert not capabilities("anthropic", "claude-opus-4-8").temperature
    assert capabilities("openai", "GPT-4o-mini").structured_output
    assert not capabilities("openai", "qwen2.5-coder").structured_output
    assert not capabilities("gemini", "gpt-4o").structured_output  # provider matters
    assert not capabilities("gemini", "gemini-3-pro").temperature
    assert capabilities("anthropic", "claude-3-haiku-20240307").max_output_tokens == 4096


@pytest.mark.parametrize(
    ("answer", "inside"),
    [
        ('```json\n{"a": 1}\n```', '{"a": 1}'),
        ('```\n{"a": 1}\n```', '{"a": 1}'),
        ('  {"a": 1}  ', '{"a": 1}'),
        ('```{"a": 1}```', '{"a": 1}'),
        ("```", "```"),
    ],
)
def test_one_wrapping_fence_is_removed(answer: str, inside: str) -> None:
    assert strip_fence(answer) == inside


def _planned() -> dict[str, object]:
    canonical = review(base_11()).canonical
    assert canonical is not None
    return canonical


def test_scoring_counts_hits_misses_and_extras_per_dimension() -> None:
    expected = expected_shape(
        {
            "entities": {"Folder": {"title": "string"}, "Note": {"body": "text", "x": "text"}},
            "relations": [{"source": "Note", "kind": "many_to_one", "target": "Folder"}],
            "auth": True,
            "owned": ["Note"],
            "soft_delete": ["Note"],
            "searchable": {},
        }
    )
    planned = planned_shape(_planned())
    scores = score(expected, planned)
    assert scores["entities"].to_dict()["recall"] == 1.0
    assert (scores["fields"].hits, scores["fields"].expected) == (2, 3)
    assert scores["relations"].hits == 1
    assert scores["owned"].hits == 1
    assert (scores["soft_delete"].hits, scores["soft_delete"].found) == (0, 0)


def test_a_wrong_type_is_a_field_hit_but_a_type_miss() -> None:
    expected = expected_shape(
        {
            "entities": {"Folder": {"title": "text"}},
            "relations": [],
            "auth": True,
            "owned": [],
            "soft_delete": [],
            "searchable": {},
        }
    )
    scores = score(expected, planned_shape(_planned()))
    assert scores["fields"].hits == 1
    assert (scores["types"].hits, scores["types"].expected) == (0, 1)
    assert scores["entities"].precision == 0.5  # Note was not expected


def test_many_to_many_direction_does_not_matter_and_user_is_implicit() -> None:
    expected = expected_shape(
        {
            "entities": {"Post": {}, "Tag": {}},
            "relations": [{"source": "Tag", "kind": "many_to_many", "target": "Post"}],
            "auth": True,
            "owned": [],
            "soft_delete": [],
            "searchable": {},
        }
    )
    planned = expected_shape(
        {
            "entities": {"Post": {}, "Tag": {}, "User": {"bio": "text"}},
            "relations": [
                {"source": "Post", "kind": "many_to_many", "target": "Tag"},
                {"source": "Post", "kind": "many_to_one", "target": "User"},
            ],
            "auth": True,
            "owned": [],
            "soft_delete": [],
            "searchable": {},
        }
    )
    scores = score(expected, planned)
    assert scores["relations"].to_dict()["precision"] == 1.0
    assert scores["entities"].precision == 1.0
    assert scores["fields"].found == 0


def test_repeated_relations_count_as_many_times_as_they_appear() -> None:
    twice = [{"source": "Match", "kind": "many_to_one", "target": "Team"}] * 2
    case: dict[str, object] = {
        "entities": {"Match": {}, "Team": {}},
        "relations": twice,
        "auth": False,
        "owned": [],
        "soft_delete": [],
        "searchable": {},
    }
    one = {**case, "relations": twice[:1]}
    scores = score(expected_shape(case), expected_shape(one))
    assert (scores["relations"].hits, scores["relations"].expected) == (1, 2)
