"""The one port every LLM vendor sits behind."""

from __future__ import annotations

from typing import Protocol

from deeprun.contracts.planning import ModelReply, ModelRequest


class LanguageModel(Protocol):
    """A configured model. ``complete`` makes exactly one vendor call (no retries of its own:
    the service retries, so the count is bounded in one place) and raises ProviderError."""

    @property
    def provider(self) -> str: ...

    @property
    def model(self) -> str: ...

    def complete(self, request: ModelRequest) -> ModelReply: ...
