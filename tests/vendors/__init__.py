"""Fake LLM vendors: one loopback server, and what the tests know of each vendor's wire format.

Each vendor module (``openai_api``, ``anthropic_api``, ``gemini_api``) builds that vendor's real
response and error bodies and reads its requests; each is a ``VendorApi``, so the tests run the
same sentences against all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from deeprun.logic.planning.prompt import SCHEMA_NAME

__all__ = ["SCHEMA_NAME", "Recorded", "Reply", "VendorApi"]
from tests.vendors.server import Recorded, Reply


class VendorApi(Protocol):
    """One vendor's wire format, as the tests need it."""

    PROVIDER: str
    MODEL: str  # the model the tests open
    REPORTED_MODEL: str  # the model its answers say answered
    DEFAULT_MODEL: str  # the one deeprun opens when none is named
    ASSISTANT: str  # the vendor's name for the model's role in a conversation
    MAX_TOKENS: str  # the token limit's name in ``sampling``
    USAGE: tuple[int, int]  # the input and output tokens every answer reports

    def environ(self, url: str, key: str) -> dict[str, str]:
        """The environment that points deeprun at the fake server with ``key``."""

    def path(self, model: str) -> str:
        """The path a completion for ``model`` is posted to."""

    def answer(self, text: str) -> Reply:
        """A successful answer whose structured output is the JSON ``text``."""

    def plain(self, *texts: str) -> Reply:
        """A successful answer in plain text, in as many pieces as the vendor allows."""

    def failure(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> Reply:
        """The vendor's error body for ``status``."""

    def unusable(self) -> dict[str, Reply]:
        """Answers that came back but cannot be used, by what is wrong with them."""

    def key(self, request: Recorded) -> str | None:
        """The API key the request carried, from the vendor's header."""

    def model(self, request: Recorded) -> str: ...

    def system(self, request: Recorded) -> str: ...

    def schema(self, request: Recorded) -> object: ...

    def structured(self, request: Recorded) -> bool:
        """Whether the request asks for structured output at all."""

    def turns(self, request: Recorded) -> list[tuple[str, str]]:
        """The conversation as (vendor role, text) pairs."""

    def sampling(self, request: Recorded) -> Mapping[str, Any]:
        """The object that holds temperature and the token limit."""
