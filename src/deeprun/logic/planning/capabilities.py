"""What each model accepts, in one table, so no adapter guesses.

Reasoning models (OpenAI's o-series and gpt-5 on, Anthropic's current models) reject a
temperature, so none is sent and determinism rests on structured output and review. Unknown
models (an OpenAI-compatible local server, a new release) get the conservative row: a
temperature, and plain JSON instructions rather than a schema mode the server may lack.
"""

from __future__ import annotations

from typing import Final

from deeprun.contracts.planning import ModelCapabilities

PLANNING_TEMPERATURE: Final = 0.0
"""Under the 0.2 ceiling: the same prompt gives the same spec as often as the vendor allows."""

_MAX_TOKENS: Final = 16384
_CONSERVATIVE: Final = ModelCapabilities(
    temperature=True, structured_output=False, max_output_tokens=_MAX_TOKENS
)

# (provider, model-name prefix, capabilities); the longest matching prefix wins. Anthropic's
# SDK no longer takes a temperature, and its newer models refuse one, so only claude-3 gets it;
# Google advises against lowering Gemini 3's (it loops), so it gets none either.
_TABLE: Final[tuple[tuple[str, str, ModelCapabilities], ...]] = (
    ("openai", "gpt-4o", ModelCapabilities(True, True, _MAX_TOKENS)),
    ("openai", "gpt-4.1", ModelCapabilities(True, True, _MAX_TOKENS)),
    ("openai", "gpt-5", ModelCapabilities(False, True, _MAX_TOKENS)),
    ("openai", "gpt-6", ModelCapabilities(False, True, _MAX_TOKENS)),
    ("openai", "o1", ModelCapabilities(False, True, _MAX_TOKENS)),
    ("openai", "o3", ModelCapabilities(False, True, _MAX_TOKENS)),
    ("openai", "o4", ModelCapabilities(False, True, _MAX_TOKENS)),
    ("anthropic", "claude-3", ModelCapabilities(True, True, 4096)),
    ("anthropic", "claude-3-5", ModelCapabilities(True, True, 8192)),
    ("anthropic", "claude-3-7", ModelCapabilities(True, True, 8192)),
    ("anthropic", "claude", ModelCapabilities(False, True, _MAX_TOKENS)),
    ("gemini", "gemini", ModelCapabilities(True, True, _MAX_TOKENS)),
    ("gemini", "gemini-3", ModelCapabilities(False, True, _MAX_TOKENS)),  # Google: keep 1.0
)


def capabilities(provider: str, model: str) -> ModelCapabilities:
    name = model.strip().lower()
    matches = [
        (len(prefix), caps)
        for p, prefix, caps in _TABLE
        if p == provider and name.startswith(prefix)
    ]
    return max(matches, key=lambda match: match[0])[1] if matches else _CONSERVATIVE


MAX_TEMPERATURE: Final = 0.2


def temperature_for(caps: ModelCapabilities, requested: float | None = None) -> float | None:
    """None for a model that takes no temperature; else what was asked, at most the ceiling."""
    if not caps.temperature:
        return None
    return min(PLANNING_TEMPERATURE if requested is None else requested, MAX_TEMPERATURE)
