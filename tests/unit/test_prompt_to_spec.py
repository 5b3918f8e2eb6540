"""PromptToSpecAgent with a scripted model: re-asks, transport retries, the request it sends."""

from __future__ import annotations

import json

import pytest

from deeprun.contracts.errors import InputError, ProviderError, SpecGenerationError
from deeprun.contracts.planning import OFFLINE
from deeprun.logic.planning.prompt import MAX_PROMPT_CHARS, RULES, SCHEMA_NAME
from deeprun.logic.spec_schema import spec_json_schema
from deeprun.services.planning import MAX_REASKS, PromptToSpecAgent
from tests.doubles.language_model import RecordedWaits, ScriptedModel
from tests.specs import base_11

VALID = json.dumps(base_11())
PROMPT = "Notes in folders; users keep their own notes."


def agent(model: ScriptedModel | None, waits: RecordedWaits | None = None) -> PromptToSpecAgent:
    return PromptToSpecAgent(model, (waits or RecordedWaits()).pacing())


def overloaded(retry_after: float | None = None) -> ProviderError:
    return ProviderError("529 overloaded", retryable=True, retry_after=retry_after)


def test_a_valid_answer_is_the_draft_after_one_request() -> None:
    model = ScriptedModel([VALID])
    draft = agent(model).run(PROMPT)
    assert [e["name"] for e in draft.canonical["entities"]] == ["Folder", "Note"]
    assert (draft.provider, draft.model) == ("openai", "gpt-4.1-mini")
    assert [(a.number, a.problems) for a in draft.attempts] == [(1, ())]
    assert len(model.requests) == 1


def test_the_request_carries_the_schema_the_rules_and_a_low_temperature() -> None:
    model = ScriptedModel([VALID])
    agent(model).run(PROMPT)
    request = model.requests[0]
    assert request.answer_schema == spec_json_schema("1.1")
    assert request.schema_name == SCHEMA_NAME
    assert '"$id": "urn:deeprun:spec-ir:1.1"' in request.system
    assert RULES in request.system
    assert request.temperature is not None
    assert request.temperature <= 0.2
    assert PROMPT in request.messages[0].content


@pytest.mark.parametrize(
    ("provider", "model_name", "temperature", "structured"),
    [
        ("openai", "gpt-5-mini", None, True),
        ("openai", "llama3.1:8b", 0.0, False),
        ("anthropic", "claude-sonnet-4-6", None, True),
        ("anthropic", "claude-3-5-haiku-latest", 0.0, True),
        ("gemini", "gemini-2.5-flash", 0.0, True),
    ],
)
def test_the_capability_table_decides_temperature_and_structured_output(
    provider: str, model_name: str, temperature: float | None, structured: bool
) -> None:
    model = ScriptedModel([VALID], provider=provider, model=model_name)
    agent(model).run(PROMPT)
    request = model.requests[0]
    assert request.temperature == temperature
    assert (request.answer_schema is not None) is structured


def test_invalid_json_is_reasked_with_the_problem_listed() -> None:
    model = ScriptedModel(["Sure! Here is your spec: {", VALID])
    draft = agent(model).run(PROMPT)
    assert [a.number for a in draft.attempts] == [1, 2]
    assert draft.attempts[0].problems[0].code.value == "SPEC_SCHEMA"
    second = model.requests[1]
    assert [m.role for m in second.messages] == ["user", "assistant", "user"]
    assert second.messages[1].content == "Sure! Here is your spec: {"
    assert "not JSON" in second.messages[2].content
    assert second.system == model.requests[0].system


def test_review_problems_are_listed_in_the_reask() -> None:
    broken = base_11()
    broken["entities"][0]["fields"][0]["type"] = "money"
    model = ScriptedModel([json.dumps(broken), VALID])
    agent(model).run(PROMPT)
    correction = model.requests[1].messages[2].content
    assert "SPEC_INVALID_FIELD_TYPE at /entities/0/fields/0/type" in correction


def test_three_invalid_answers_give_spec_generation_error_with_every_attempt() -> None:
    model = ScriptedModel(['{"spec_version": "1.1"}', "[]", "no"])
    with pytest.raises(SpecGenerationError) as caught:
        agent(model).run(PROMPT)
    assert len(model.requests) == MAX_REASKS + 1 == 3
    assert [a.number for a in caught.value.attempts] == [1, 2, 3]
    assert all(a.problems for a in caught.value.attempts)
    assert caught.value.code.value == "ERR_SPEC_GENERATION"


def test_a_fenced_answer_is_forgiven() -> None:
    model = ScriptedModel([f"```json\n{VALID}\n```"])
    assert agent(model).run(PROMPT).attempts[0].problems == ()


def test_transport_failures_are_retried_with_growing_jittered_waits() -> None:
    waits = RecordedWaits()
    model = ScriptedModel([overloaded(), overloaded(), VALID])
    agent(model, waits).run(PROMPT)
    assert len(model.requests) == 3
    assert waits.waits == [0.375, 0.75]  # equal jitter at 0.5 of 0.5 s, then of 1 s


def test_retry_after_is_honoured() -> None:
    waits = RecordedWaits()
    agent(ScriptedModel([overloaded(retry_after=2.0), VALID]), waits).run(PROMPT)
    assert waits.waits == [2.0]


def test_transport_retries_are_bounded() -> None:
    waits = RecordedWaits()
    model = ScriptedModel([overloaded() for _ in range(6)])
    with pytest.raises(ProviderError):
        agent(model, waits).run(PROMPT)
    assert len(model.requests) == 4
    assert len(waits.waits) == 3


def test_a_non_transport_failure_is_not_retried() -> None:
    waits = RecordedWaits()
    model = ScriptedModel([ProviderError("401 invalid key"), VALID])
    with pytest.raises(ProviderError, match="401"):
        agent(model, waits).run(PROMPT)
    assert len(model.requests) == 1
    assert waits.waits == []


@pytest.mark.parametrize("prompt", ["", "   \n ", "x" * (MAX_PROMPT_CHARS + 1)])
def test_an_empty_or_huge_prompt_is_an_input_error(prompt: str) -> None:
    model = ScriptedModel([VALID])
    with pytest.raises(InputError):
        agent(model).run(prompt)
    assert model.requests == []


def test_without_a_model_the_offline_planner_answers() -> None:
    draft = agent(None).run("A library with books (title, isbn) and members (name, email).")
    assert draft.provider == OFFLINE
    assert {"Book", "Member"} <= {e["name"] for e in draft.canonical["entities"]}


def test_the_offline_planner_reports_what_it_could_not_use() -> None:
    with pytest.raises(SpecGenerationError) as caught:
        agent(None).run("Make it fast, secure and pleasant.")
    assert caught.value.attempts[0].problems
    assert caught.value.ignored
