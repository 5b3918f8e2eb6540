"""deeprun's three agents as Google ADK agents, the pipeline as an ADK workflow, and PortLlm.

Needs the ``adk`` extra (``pip install deeprun[adk]``). Nothing else in deeprun imports this
module, so deeprun works without the extra; google.adk is imported here and nowhere else.

    deeprun_pipeline (SequentialAgent)
    ├── prompt_to_spec    user message (or state "prompt") -> "spec", "spec_hash", "ignored",
    │                     "provider", "model", "attempts"
    ├── spec_review       "spec" -> "review" {"valid", "problems"}
    └── code_generation   "spec" -> "tree_hash", "files", "compiled"

Each ADK agent runs the plain object of ``services/planning.py`` (blocking work in a thread) and
writes its results to the session state through ``EventActions.state_delta``. A DeeprunError
becomes an event with ``error_code`` (the ``ERR_*`` code) and ``error_message`` and writes
state "error" {"code", "message", "agent"}; a SequentialAgent runs every sub-agent whatever the
events before say, so the agents after a failure read "error" and yield nothing.

``PortLlm`` is the other direction: an ADK model that answers through deeprun's LanguageModel
port, so an ordinary ``LlmAgent`` can use OpenAI, Anthropic or Gemini through our adapters (or a
scripted model in tests). It sends text only.
"""

from __future__ import annotations

import asyncio
import random
import time
import warnings
from collections.abc import AsyncGenerator, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from google.adk.agents import BaseAgent, SequentialAgent
from google.adk.agents.invocation_context import InvocationContext
from google.adk.events import Event, EventActions
from google.adk.models import BaseLlm, LlmCapabilities
from google.adk.models.llm_request import LlmRequest
from google.adk.models.llm_response import LlmResponse
from google.adk.runners import InMemoryRunner
from google.genai import types

from deeprun.contracts.errors import (
    DeeprunError,
    InputError,
    ProviderConfigError,
    ProviderError,
    SpecGenerationError,
    SpecInvalidError,
)
from deeprun.contracts.planning import Draft, Message, ModelRequest
from deeprun.logic.planning.capabilities import capabilities, temperature_for
from deeprun.ports.compiling import Formatter
from deeprun.ports.language_model import LanguageModel
from deeprun.services.planning import (
    CodeGenerationAgent,
    Pacing,
    PromptToSpecAgent,
    SpecReviewAgent,
    call_model,
)

PIPELINE_NAME: Final = "deeprun_pipeline"
APP_NAME: Final = "deeprun"
USER_ID: Final = "deeprun"
ERROR: Final = "error"
PIPELINE_KEYS: Final = (
    *("spec", "spec_hash", "ignored", "provider", "model", "attempts"),
    *("review", "tree_hash", "files", "compiled", ERROR),
)
"""Every state key the pipeline writes; prompt_to_spec clears them, so the state of a session
describes its latest run."""


class AdkPromptToSpecAgent(BaseAgent):
    """Words to a reviewed spec: the user's message, else state "prompt"."""

    planner: PromptToSpecAgent

    async def _run_async_impl(self, ctx: InvocationContext) -> AsyncGenerator[Event, None]:
        cleared: dict[str, Any] = dict.fromkeys(PIPELINE_KEYS)
        try:
            draft = await asyncio.to_thread(self.planner.run, _prompt(ctx))
        except SpecGenerationError as exc:
            tried = {"ignored": list(exc.ignored), "attempts": [a.to_dict() for a in exc.attempts]}
            yield _failed(self, ctx, exc, cleared | tried)
            return
        except DeeprunError as exc:
            yield _failed(self, ctx, exc, cleared)
            return
        entities = ", ".join(entity["name"] for entity in draft.canonical["entities"])
        yield _event(
            self,
            ctx,
            cleared | _drafted(draft),
            f"spec {draft.spec_hash} by {draft.provider}/{draft.model}: {entities}",
        )


class _SpecStage(BaseAgent):
    """An agent that works on state "spec": it does nothing after an earlier failure, and
    fails with ERR_INPUTS when there is no spec to work on."""

    async def _run_async_impl(self, ctx: InvocationContext) -> AsyncGenerator[Event, None]:
        if ctx.session.state.get(ERROR):
            return
        spec = ctx.session.state.get("spec")
        if spec is None:
            yield _failed(
                self, ctx, InputError('the session state holds no spec (state key "spec")')
            )
            return
        async for event in self._on_spec(ctx, spec):
            yield event

    def _on_spec(self, ctx: InvocationContext, spec: Any) -> AsyncGenerator[Event, None]:
        raise NotImplementedError


class AdkSpecReviewAgent(_SpecStage):
    """Reviews state "spec"; an invalid spec ends the run with ERR_SPEC_INVALID."""

    reviewer: SpecReviewAgent

    async def _on_spec(self, ctx: InvocationContext, spec: Any) -> AsyncGenerator[Event, None]:
        verdict = self.reviewer.review(spec)
        review = {
            "valid": verdict.canonical is not None,
            "problems": [problem.to_dict() for problem in verdict.problems],
        }
        if verdict.canonical is None:
            yield _failed(self, ctx, SpecInvalidError(verdict.problems), {"review": review})
            return
        yield _event(self, ctx, {"review": review}, "the spec passed review")


class AdkCodeGenerationAgent(_SpecStage):
    """Compiles state "spec"; the state gets the tree hash, the file list and the summary,
    never the files (ask CodeGenerationAgent for the tree itself)."""

    compiler: CodeGenerationAgent

    async def _on_spec(self, ctx: InvocationContext, spec: Any) -> AsyncGenerator[Event, None]:
        try:
            compiled = await asyncio.to_thread(self.compiler.run, spec)
        except DeeprunError as exc:
            yield _failed(self, ctx, exc)
            return
        delta = {
            "tree_hash": compiled.tree_hash,
            "files": sorted(compiled.tree),
            "compiled": compiled.summary(),
        }
        yield _event(self, ctx, delta, f"compiled {compiled.files} files, {compiled.tree_hash}")


def build_pipeline(
    model: LanguageModel | None, pacing: Pacing, formatter: Formatter
) -> SequentialAgent:
    """The three agents in order. ``model`` None: the offline planner."""
    reviewer = SpecReviewAgent()
    agents: list[BaseAgent] = [
        AdkPromptToSpecAgent(
            name="prompt_to_spec",
            description="Turns a description of a backend into a reviewed deeprun spec.",
            planner=PromptToSpecAgent(model, pacing, reviewer),
        ),
        AdkSpecReviewAgent(
            name="spec_review",
            description="Validates the spec in the session state; rejects, never repairs.",
            reviewer=reviewer,
        ),
        AdkCodeGenerationAgent(
            name="code_generation",
            description="Compiles the spec in the session state into a FastAPI project.",
            compiler=CodeGenerationAgent(formatter),
        ),
    ]
    with warnings.catch_warnings():
        # ADK 2.x deprecates SequentialAgent for Workflow, which cannot yet be the sub-agent
        # of an LlmAgent; the choice is ours, so our callers are not warned about it.
        warnings.filterwarnings(
            "ignore", message="SequentialAgent is deprecated", category=DeprecationWarning
        )
        return SequentialAgent(
            name=PIPELINE_NAME,
            description="Prompt to reviewed spec to compiled FastAPI project, deterministically.",
            sub_agents=agents,
        )


@dataclass(frozen=True, slots=True)
class InMemoryRun:
    """Every event of one run and the session state it left."""

    events: tuple[Event, ...]
    state: dict[str, Any]


async def run_in_memory(
    agent: BaseAgent, prompt: str, state: Mapping[str, Any] | None = None
) -> InMemoryRun:
    """Runs ``agent`` on one user message in a fresh in-memory session that starts with
    ``state``: no network, no keys."""
    async with InMemoryRunner(agent=agent, app_name=APP_NAME) as runner:
        sessions = runner.session_service
        session = await sessions.create_session(
            app_name=APP_NAME, user_id=USER_ID, state=dict(state or {})
        )
        message = types.Content(role="user", parts=[types.Part(text=prompt)])
        events = [
            event
            async for event in runner.run_async(
                user_id=USER_ID, session_id=session.id, new_message=message
            )
        ]
        final = await sessions.get_session(
            app_name=APP_NAME, user_id=USER_ID, session_id=session.id
        )
    return InMemoryRun(tuple(events), dict(final.state) if final is not None else {})


def run_pipeline(
    prompt: str, model: LanguageModel | None, pacing: Pacing, formatter: Formatter
) -> dict[str, Any]:
    """The pipeline on ``prompt``; returns the final session state (see PIPELINE_KEYS)."""
    return asyncio.run(run_in_memory(build_pipeline(model, pacing, formatter), prompt)).state


class PortLlm(BaseLlm):
    """An ADK model answering through deeprun's LanguageModel port: the system instruction and
    the text of the contents become one ModelRequest, the reply one text part. Transport
    failures are retried as the planner retries them; a temperature is capped at the planning
    ceiling; a ProviderError becomes an error response. Tools are refused."""

    _port: LanguageModel
    _pacing: Pacing

    def __init__(self, port: LanguageModel, pacing: Pacing | None = None, **data: Any) -> None:
        data.setdefault("model", f"{port.provider}/{port.model}")
        super().__init__(**data)
        self._port = port
        self._pacing = pacing or Pacing(time.sleep, random.random)

    @property
    def capabilities(self) -> LlmCapabilities:
        return LlmCapabilities(output_schema_and_tools=False)

    async def generate_content_async(
        self, llm_request: LlmRequest, stream: bool = False
    ) -> AsyncGenerator[LlmResponse, None]:
        if llm_request.tools_dict:
            yield _error_response(
                ProviderConfigError(
                    f"PortLlm sends text only; this request offers tools "
                    f"({', '.join(sorted(llm_request.tools_dict))})"
                )
            )
            return
        self._maybe_append_user_content(llm_request)
        try:
            reply = await asyncio.to_thread(
                call_model, self._port, _model_request(llm_request, self._port), self._pacing
            )
        except ProviderError as exc:
            yield _error_response(exc)
            return
        yield LlmResponse(
            content=types.Content(role="model", parts=[types.Part(text=reply.text)]),
            model_version=reply.model,
            usage_metadata=types.GenerateContentResponseUsageMetadata(
                prompt_token_count=reply.input_tokens,
                candidates_token_count=reply.output_tokens,
                total_token_count=reply.input_tokens + reply.output_tokens,
            ),
            turn_complete=True,
        )


def _prompt(ctx: InvocationContext) -> str:
    content = ctx.user_content
    text = _text(content.parts or []) if content is not None else ""
    return text if text.strip() else str(ctx.session.state.get("prompt") or "")


def _drafted(draft: Draft) -> dict[str, Any]:
    return {
        "spec": draft.canonical,
        "spec_hash": draft.spec_hash,
        "ignored": list(draft.ignored),
        "provider": draft.provider,
        "model": draft.model,
        "attempts": [attempt.to_dict() for attempt in draft.attempts],
    }


def _event(agent: BaseAgent, ctx: InvocationContext, delta: dict[str, Any], text: str) -> Event:
    return Event(
        invocation_id=ctx.invocation_id,
        author=agent.name,
        branch=ctx.branch,
        content=types.Content(role="model", parts=[types.Part(text=text)]),
        actions=EventActions(state_delta=delta),
    )


def _failed(
    agent: BaseAgent,
    ctx: InvocationContext,
    exc: DeeprunError,
    delta: Mapping[str, Any] | None = None,
) -> Event:
    error = {"code": exc.code.value, "message": exc.message, "agent": agent.name}
    return Event(
        invocation_id=ctx.invocation_id,
        author=agent.name,
        branch=ctx.branch,
        error_code=exc.code.value,
        error_message=exc.message,
        actions=EventActions(state_delta={**(delta or {}), ERROR: error}),
    )


def _error_response(exc: DeeprunError) -> LlmResponse:
    return LlmResponse(error_code=exc.code.value, error_message=exc.message, turn_complete=True)


def _model_request(llm_request: LlmRequest, port: LanguageModel) -> ModelRequest:
    config = llm_request.config
    caps = capabilities(port.provider, port.model)
    return ModelRequest(
        system=_instruction_text(config.system_instruction),
        messages=_messages(llm_request.contents),
        answer_schema=None,
        schema_name="",
        temperature=temperature_for(caps, config.temperature),
        max_output_tokens=config.max_output_tokens or caps.max_output_tokens,
    )


def _messages(contents: Iterable[types.Content]) -> tuple[Message, ...]:
    """Text turns in order, ADK's "model" as "assistant"; neighbours of one role are joined,
    since some vendors require the roles to alternate."""
    merged: list[Message] = []
    for content in contents:
        text = _text(content.parts or [])
        if not text:
            continue
        role: Literal["user", "assistant"] = "assistant" if content.role == "model" else "user"
        if merged and merged[-1].role == role:
            merged[-1] = Message(role, f"{merged[-1].content}\n\n{text}")
        else:
            merged.append(Message(role, text))
    return tuple(merged)


def _instruction_text(instruction: types.ContentUnion | None) -> str:
    if instruction is None:
        return ""
    if isinstance(instruction, str):
        return instruction
    if isinstance(instruction, types.Content):
        return _text(instruction.parts or [])
    if isinstance(instruction, types.Part):
        return _text([instruction])
    if isinstance(instruction, list):
        return "\n\n".join(_instruction_text(item) for item in instruction if item)
    return ""


def _text(parts: Iterable[types.Part]) -> str:
    return "\n".join(part.text for part in parts if part.text and not part.thought)
