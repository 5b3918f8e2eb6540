"""The ADK agents, the pipeline and PortLlm, run by real Google ADK in memory: offline, no keys."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from google.adk.agents import BaseAgent, LlmAgent
from google.genai import types

from deeprun.contracts.errors import ProviderError
from deeprun.contracts.planning import Message
from deeprun.entrypoints.adk import (
    AdkCodeGenerationAgent,
    AdkSpecReviewAgent,
    InMemoryRun,
    PortLlm,
    build_pipeline,
    run_in_memory,
    run_pipeline,
)
from deeprun.entrypoints.bootstrap import bootstrap
from deeprun.services.planning import CodeGenerationAgent, Pacing, SpecReviewAgent
from tests.doubles import PassThroughFormatter
from tests.doubles.language_model import RecordedWaits, ScriptedModel
from tests.specs import example

ROOT = Path(__file__).resolve().parents[2]
BLOG = "A blog with posts (title, body) and comments; each comment belongs to a post"
SHOP = "A shop: products with a name and a price"


def pacing() -> Pacing:
    return RecordedWaits().pacing()


def shop_11() -> dict[str, Any]:
    spec = example("shop-1.0.json")
    spec["spec_version"] = "1.1"
    return spec


def run(agent: BaseAgent, prompt: str, state: dict[str, Any] | None = None) -> InMemoryRun:
    return asyncio.run(run_in_memory(agent, prompt, state))


def test_the_pipeline_is_the_three_agents_in_order() -> None:
    pipeline = build_pipeline(None, pacing(), PassThroughFormatter())
    assert pipeline.name == "deeprun_pipeline"
    assert [agent.name for agent in pipeline.sub_agents] == [
        "prompt_to_spec",
        "spec_review",
        "code_generation",
    ]


def test_the_offline_pipeline_ends_with_the_tree_the_compiler_makes_from_its_spec() -> None:
    formatter = bootstrap().formatter
    state = run_pipeline(BLOG, None, pacing(), formatter)
    assert {"Post", "Comment"} <= {entity["name"] for entity in state["spec"]["entities"]}
    assert (state["provider"], state["review"], state["error"]) == (
        "offline",
        {"valid": True, "problems": []},
        None,
    )
    direct = CodeGenerationAgent(formatter).run(state["spec"])
    assert state["tree_hash"] == direct.tree_hash
    assert state["files"] == sorted(direct.tree)
    assert state["compiled"] == direct.summary()
    assert run_pipeline(BLOG, None, pacing(), formatter)["tree_hash"] == state["tree_hash"]


def test_a_model_answer_that_is_not_json_is_asked_again_and_the_pipeline_completes() -> None:
    model = ScriptedModel(["this is not JSON", json.dumps(shop_11())])
    state = run_pipeline(SHOP, model, pacing(), PassThroughFormatter())
    assert len(model.requests) == 2
    assert (state["provider"], state["model"]) == ("openai", "gpt-4.1-mini")
    assert [attempt["attempt"] for attempt in state["attempts"]] == [1, 2]
    assert state["review"]["valid"] is True
    assert state["tree_hash"].startswith("sha256:")
    assert state["error"] is None


def test_a_model_that_never_gives_a_spec_ends_the_run_with_err_spec_generation() -> None:
    model = ScriptedModel(["garbage", "more garbage", "still garbage"])
    outcome = run(build_pipeline(model, pacing(), PassThroughFormatter()), SHOP)
    assert len(model.requests) == 3
    assert [(e.author, e.error_code) for e in outcome.events] == [
        ("prompt_to_spec", "ERR_SPEC_GENERATION")
    ]
    assert outcome.events[0].error_message == "openai/gpt-4.1-mini gave no valid spec in 3 answers"
    assert outcome.state["error"]["code"] == "ERR_SPEC_GENERATION"
    assert len(outcome.state["attempts"]) == 3
    assert outcome.state.get("tree_hash") is None


def test_review_rejects_an_invalid_spec_in_the_state_with_err_spec_invalid() -> None:
    spec = shop_11()
    spec["entities"][1]["fields"][0]["primary_key"] = False
    agent = AdkSpecReviewAgent(name="spec_review", reviewer=SpecReviewAgent())
    outcome = run(agent, "review it", {"spec": spec})
    assert [e.error_code for e in outcome.events] == ["ERR_SPEC_INVALID"]
    assert outcome.state["review"]["valid"] is False
    assert "SPEC_MISSING_PRIMARY_KEY" in {p["code"] for p in outcome.state["review"]["problems"]}


def test_an_agent_after_a_failure_does_nothing() -> None:
    agent = AdkCodeGenerationAgent(
        name="code_generation", compiler=CodeGenerationAgent(PassThroughFormatter())
    )
    failure = {"code": "ERR_SPEC_INVALID", "message": "1 problem", "agent": "spec_review"}
    outcome = run(agent, "compile it", {"spec": shop_11(), "error": failure})
    assert outcome.events == ()
    assert "tree_hash" not in outcome.state


def test_an_llm_agent_answers_through_the_port_with_its_instruction_as_system_text() -> None:
    model = ScriptedModel(["hello"])
    agent = LlmAgent(name="greeter", model=PortLlm(model), instruction="Greet in one word.")
    outcome = run(agent, "hi")
    texts = [p.text for e in outcome.events if e.content for p in e.content.parts or [] if p.text]
    assert texts == ["hello"]
    (request,) = model.requests
    assert request.system.startswith("Greet in one word.")
    assert request.messages == (Message("user", "hi"),)


def test_a_provider_failure_through_the_port_is_an_err_provider_event() -> None:
    model = ScriptedModel([ProviderError("401 bad key")])
    outcome = run(LlmAgent(name="greeter", model=PortLlm(model, pacing())), "hi")
    assert [(e.error_code, e.error_message) for e in outcome.events] == [
        ("ERR_PROVIDER", "401 bad key")
    ]


def test_the_port_retries_transport_failures_and_caps_the_temperature() -> None:
    waits = RecordedWaits()
    model = ScriptedModel([ProviderError("503 unavailable", retryable=True), "hello"])
    config = types.GenerateContentConfig(temperature=1.5)
    agent = LlmAgent(
        name="greeter", model=PortLlm(model, waits.pacing()), generate_content_config=config
    )
    outcome = run(agent, "hi")
    texts = [p.text for e in outcome.events if e.content for p in e.content.parts or [] if p.text]
    assert texts == ["hello"]
    assert len(model.requests) == 2
    assert len(waits.waits) == 1
    assert model.requests[0].temperature == 0.2


def test_the_port_refuses_tools_instead_of_dropping_them() -> None:
    def shout(text: str) -> str:
        """Upper-cases the text."""
        return text.upper()

    model = ScriptedModel([])
    outcome = run(LlmAgent(name="greeter", model=PortLlm(model), tools=[shout]), "hi")
    assert [e.error_code for e in outcome.events] == ["ERR_PROVIDER_CONFIG"]
    assert model.requests == []


NO_NETWORK = """
import sys
def refuse(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        raise RuntimeError(f"network: {event} {args}")
sys.addaudithook(refuse)
from deeprun.entrypoints.adk import run_pipeline
from tests.doubles import PassThroughFormatter
from tests.doubles.language_model import RecordedWaits
state = run_pipeline(sys.argv[1], None, RecordedWaits().pacing(), PassThroughFormatter())
print(state["tree_hash"])
"""


def test_the_pipeline_needs_no_credentials_and_opens_no_socket() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE", "GEMINI"))}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", NO_NETWORK, BLOG],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("sha256:")


def test_the_cli_does_not_import_google_adk() -> None:
    probe = (
        "import sys, deeprun.entrypoints.cli; "
        "print(sorted(m for m in sys.modules if m.startswith('google.adk')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
