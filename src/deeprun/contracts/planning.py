"""What crosses the language-model port, and what planning a spec from a prompt reports.

A request is vendor-neutral: the adapters map it to each vendor's API. Capabilities decide, before
the request is built, whether a temperature is sent and whether structured output is asked for,
so an adapter never has to guess what a model accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from deeprun.contracts.problems import Problem

PROVIDERS = ("offline", "openai", "anthropic", "gemini")
OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class Message:
    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class ModelRequest:
    """One call. ``answer_schema`` set: ask for structured output against it (the vendor's
    JSON-schema mode); ``temperature`` None: the model takes none, so none is sent."""

    system: str
    messages: tuple[Message, ...]
    answer_schema: Mapping[str, Any] | None
    schema_name: str
    temperature: float | None
    max_output_tokens: int


@dataclass(frozen=True, slots=True)
class ModelReply:
    """The answer's text (for structured output: the JSON the vendor returned, as text)."""

    text: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True, slots=True)
class ModelCapabilities:
    """What a model accepts; looked up in one table (``logic/planning/capabilities.py``)."""

    temperature: bool
    structured_output: bool
    max_output_tokens: int


@dataclass(frozen=True, slots=True)
class Attempt:
    """One answer of the model and what review found wrong with it (nothing: accepted)."""

    number: int
    problems: tuple[Problem, ...]

    def to_dict(self) -> dict[str, object]:
        return {"attempt": self.number, "problems": [p.to_dict() for p in self.problems]}


@dataclass(frozen=True, slots=True)
class Draft:
    """A reviewed spec made from a prompt: canonical IR, what was not used, and who made it."""

    canonical: dict[str, Any]
    spec_hash: str
    provider: str
    model: str
    ignored: tuple[str, ...] = ()
    attempts: tuple[Attempt, ...] = field(default_factory=tuple)

    def summary(self) -> dict[str, object]:
        return {
            "spec_hash": self.spec_hash,
            "spec_version": self.canonical.get("spec_version"),
            "provider": self.provider,
            "model": self.model,
            "ignored": list(self.ignored),
            "attempts": [a.to_dict() for a in self.attempts],
        }
