"""A scripted language model and a pacing that records waits instead of sleeping."""

from __future__ import annotations

from dataclasses import dataclass, field

from deeprun.contracts.errors import ProviderError
from deeprun.contracts.planning import ModelReply, ModelRequest
from deeprun.services.planning import Pacing


@dataclass
class ScriptedModel:
    """Answers from ``script`` in order: a string is a reply, a ProviderError is raised.
    Every request is kept, so tests see what the agent asked."""

    script: list[str | ProviderError]
    provider: str = "openai"
    model: str = "gpt-4.1-mini"
    requests: list[ModelRequest] = field(default_factory=list)

    def complete(self, request: ModelRequest) -> ModelReply:
        self.requests.append(request)
        if not self.script:
            raise AssertionError("the scripted model ran out of answers")
        step = self.script.pop(0)
        if isinstance(step, ProviderError):
            raise step
        return ModelReply(step, self.model)


@dataclass
class RecordedWaits:
    waits: list[float] = field(default_factory=list)

    def pacing(self, jitter: float = 0.5) -> Pacing:
        return Pacing(sleep=self.waits.append, jitter=lambda: jitter)
