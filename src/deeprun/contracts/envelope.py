"""The one result shape of every command (seed 003): status, execution id, payload, error.

An envelope holds no timestamps, pids or host data, so the same command on the same input gives
the same bytes. Timings and logs go to stderr, never into the envelope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from deeprun.contracts.errors import ErrorCode

_RESERVED_KEYS = frozenset({"status", "execution_id", "command", "error"})


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    code: ErrorCode
    message: str


@dataclass(frozen=True, slots=True)
class Envelope:
    command: str
    execution_id: str
    payload: Mapping[str, object] = field(default_factory=dict)
    error: ErrorInfo | None = None

    def __post_init__(self) -> None:
        clash = _RESERVED_KEYS & set(self.payload)
        if clash:
            raise ValueError(f"payload may not set envelope keys {sorted(clash)}")

    @property
    def status(self) -> Literal["success", "error"]:
        return "success" if self.error is None else "error"

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {
            "status": self.status,
            "execution_id": self.execution_id,
            "command": self.command,
            **self.payload,
        }
        if self.error is not None:
            body["error"] = {"code": self.error.code.value, "message": self.error.message}
        return body
