"""Prompt to project: the three agents of the pipeline (seed 002).

PromptToSpecAgent makes a spec from words: with a language model when one is configured (the
answer must be JSON, is reviewed, and is re-asked at most twice with the problems listed), else
with the offline planner. SpecReviewAgent is review: it validates and rejects, it never
redesigns. CodeGenerationAgent is the compiler. Each is a plain object so the CLI, the ADK
wrappers and tests drive the same code.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import structlog
from pydantic import JsonValue

from deeprun.contracts.errors import InputError, ProviderError, SpecGenerationError
from deeprun.contracts.planning import OFFLINE, Attempt, Draft, ModelReply, ModelRequest
from deeprun.contracts.problems import Problem, ProblemCode
from deeprun.logic.canonical_json import canonical_bytes, sha256_of
from deeprun.logic.documents import parse_document
from deeprun.logic.offline_planner import plan_offline
from deeprun.logic.planning.backoff import RetryPolicy, delay
from deeprun.logic.planning.capabilities import capabilities
from deeprun.logic.planning.prompt import MAX_PROMPT_CHARS, first_request, reask, strip_fence
from deeprun.logic.review import review
from deeprun.ports.compiling import Formatter
from deeprun.ports.language_model import LanguageModel
from deeprun.services.compiling import Compiled, build

MAX_REASKS: Final = 2
OFFLINE_MODEL: Final = "heuristic"

log = structlog.get_logger("deeprun.planning")


@dataclass(frozen=True, slots=True)
class Pacing:
    """The waiting between retries, from the composition root (tests pass a recorder)."""

    sleep: Callable[[float], None]
    jitter: Callable[[], float]
    policy: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Review's answer: the canonical IR, or every problem."""

    canonical: dict[str, Any] | None
    problems: tuple[Problem, ...]


class SpecReviewAgent:
    """Validates and normalizes; a document with problems is rejected, never repaired."""

    def review(self, document: JsonValue) -> Verdict:
        outcome = review(document)
        return Verdict(outcome.canonical, outcome.problems)

    def review_answer(self, answer: str) -> Verdict:
        """A model's answer: JSON only (one wrapping markdown fence is forgiven), then review."""
        try:
            document = parse_document(strip_fence(answer).encode())
        except InputError as exc:
            return Verdict(None, (Problem(ProblemCode.SCHEMA, "", f"not JSON: {exc.message}"),))
        return self.review(document)


class PromptToSpecAgent:
    """Words to a reviewed spec. ``model`` None means the offline planner."""

    def __init__(
        self, model: LanguageModel | None, pacing: Pacing, reviewer: SpecReviewAgent | None = None
    ) -> None:
        self.model = model
        self.pacing = pacing
        self.reviewer = reviewer or SpecReviewAgent()

    @property
    def provider(self) -> str:
        return self.model.provider if self.model is not None else OFFLINE

    @property
    def model_name(self) -> str:
        return self.model.model if self.model is not None else OFFLINE_MODEL

    def run(self, prompt: str) -> Draft:
        text = _checked(prompt)
        if self.model is None:
            return self._offline(text)
        return self._ask(self.model, text)

    def _offline(self, prompt: str) -> Draft:
        plan = plan_offline(prompt)
        verdict = self.reviewer.review(plan.document)
        attempt = Attempt(1, verdict.problems)
        if verdict.canonical is None:
            raise SpecGenerationError(
                "the offline planner could not make a valid spec from the prompt "
                "(name the things to store, e.g. 'posts with a title and a body')",
                (attempt,),
                plan.ignored,
            )
        return self._draft(verdict.canonical, plan.ignored, (attempt,))

    def _ask(self, model: LanguageModel, prompt: str) -> Draft:
        request = first_request(prompt, capabilities(model.provider, model.model))
        attempts: list[Attempt] = []
        for number in range(1, MAX_REASKS + 2):
            reply = call_model(model, request, self.pacing)
            verdict = self.reviewer.review_answer(reply.text)
            attempts.append(Attempt(number, verdict.problems))
            log.info("planner.answer", attempt=number, problems=len(verdict.problems))
            if verdict.canonical is not None:
                return self._draft(verdict.canonical, (), tuple(attempts))
            request = reask(request, reply.text, verdict.problems)
        raise SpecGenerationError(
            f"{model.provider}/{model.model} gave no valid spec in {len(attempts)} answers",
            tuple(attempts),
        )

    def _draft(
        self, canonical: dict[str, Any], ignored: tuple[str, ...], attempts: tuple[Attempt, ...]
    ) -> Draft:
        return Draft(
            canonical, sha256_of(canonical), self.provider, self.model_name, ignored, attempts
        )


class CodeGenerationAgent:
    """The compiler: templates only, no improvisation; the same spec gives the same bytes."""

    def __init__(self, formatter: Formatter) -> None:
        self.formatter = formatter

    def run(self, canonical: dict[str, Any]) -> Compiled:
        return build(canonical_bytes(canonical), self.formatter)


def call_model(model: LanguageModel, request: ModelRequest, pacing: Pacing) -> ModelReply:
    """One request, retried only on transport trouble, at most ``pacing.policy.calls`` times."""
    policy = pacing.policy
    for failures in range(1, policy.calls + 1):
        try:
            return model.complete(request)
        except ProviderError as exc:
            if not exc.retryable or failures == policy.calls:
                raise
            wait = delay(policy, failures, pacing.jitter(), exc.retry_after)
            log.warning(
                "provider.retry", failures=failures, wait_s=round(wait, 3), error=exc.message
            )
            pacing.sleep(wait)
    raise AssertionError("unreachable: the last failure re-raises")


def _checked(prompt: str) -> str:
    """Text a person could have typed: control characters would reach generated files."""
    text = prompt.strip()
    if not text:
        raise InputError("the prompt is empty; describe the backend in a sentence or more")
    if len(text) > MAX_PROMPT_CHARS:
        raise InputError(f"the prompt is longer than {MAX_PROMPT_CHARS} characters")
    control = next((c for c in text if c not in "\t\n\r" and unicodedata.category(c) == "Cc"), None)
    if control is not None:
        raise InputError(f"the prompt holds the control character U+{ord(control):04X}")
    return text
