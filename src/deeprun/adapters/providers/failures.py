"""How every vendor failure becomes a ProviderError: one rule for what is worth retrying, one
place that keeps the API key out of messages.

Transport trouble (no connection, a timeout) and the statuses a later attempt may cure — 408
request timeout, 409 conflict, 429 rate limit, any 5xx including Anthropic's 529 overloaded —
are retryable; the service decides whether and when, helped by the vendor's Retry-After. Any
other status, and an answer that cannot be used, is final.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from pydantic import ValidationError

from deeprun.contracts.errors import ProviderError

RETRYABLE_STATUSES = frozenset({408, 409, 429})
DETAIL_LIMIT = 300
# What reading a body raises when it is not JSON, or not the shape the adapter reads.
MALFORMED = (json.JSONDecodeError, ValidationError)


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The Retry-After header, when it gives a number of seconds."""
    return seconds(headers.get("retry-after", ""))


def seconds(text: str) -> float | None:
    """A finite, non-negative number of seconds, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


class Failures:
    """Builds one vendor's ProviderErrors; every message passes through ``_redact``."""

    def __init__(self, vendor: str, api_key: str) -> None:
        self._vendor = vendor
        self._api_key = api_key

    def status(self, status: int, detail: str | None, wait: float | None) -> ProviderError:
        """The vendor answered with an error status; ``wait`` is its hint, in seconds."""
        retryable = status in RETRYABLE_STATUSES or status >= 500
        message = f"{self._vendor} answered HTTP {status}: {detail or 'no message'}"
        return ProviderError(
            self._redact(message), retryable=retryable, retry_after=wait if retryable else None
        )

    def unreachable(self, reason: str) -> ProviderError:
        """No answer came: the connection failed or timed out."""
        return ProviderError(
            self._redact(f"{self._vendor} could not be reached: {reason}"), retryable=True
        )

    def unusable(self, reason: str) -> ProviderError:
        """An answer came, but not one we can use (empty, cut short, refused, malformed)."""
        return ProviderError(self._redact(f"{self._vendor} gave no usable answer: {reason}"))

    def malformed(self, error: Exception) -> ProviderError:
        """The body could not be parsed or lacks what we read; only the error's kind is kept,
        since its text may quote the answer."""
        return self.unusable(f"the answer is malformed ({type(error).__name__})")

    def _redact(self, message: str) -> str:
        text = message.replace(self._api_key, "***") if self._api_key else message
        return text if len(text) <= DETAIL_LIMIT else text[: DETAIL_LIMIT - 1] + "…"
