"""How long to wait before the next call after a transport failure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``calls`` bounds every vendor call of one request, the first included."""

    calls: int = 4
    base_seconds: float = 0.5
    cap_seconds: float = 8.0
    max_retry_after: float = 30.0


def delay(policy: RetryPolicy, failures: int, jitter: float, retry_after: float | None) -> float:
    """Exponential backoff with equal jitter (half fixed, half random, so concurrent callers
    spread out but none retries at once); a vendor's Retry-After is honoured up to a ceiling.
    ``failures`` counts the failed calls so far (1 after the first); ``jitter`` is in [0, 1)."""
    ceiling = min(policy.cap_seconds, policy.base_seconds * float(2 ** (failures - 1)))
    wait = ceiling / 2 + ceiling / 2 * jitter
    if retry_after is not None:
        wait = max(wait, min(retry_after, policy.max_retry_after))
    return wait
