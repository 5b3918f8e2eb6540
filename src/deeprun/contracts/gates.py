"""What the gates report: typed failures, one result per gate, and the readiness verdict.

A failure's ``code`` is the rule id (``ARCH.LAYER``) or the gate id (``mypy``) that found it;
``tool_code`` keeps the tool's own code (``F401``, ``arg-type``, ``DL3008``) when there is one.
The correction loop reads these, so their shape is a contract like the envelope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

GATES = (
    "architecture",
    "install",
    "ruff",
    "mypy",
    "imports",
    "migrations",
    "tests",
    "boot",
    "fuzz",
    "container",
)
FUZZ_EXAMPLES = 5  # the fuzz gate's cases per operation and phase, unless asked otherwise


class Severity(StrEnum):
    ERROR = "error"  # fails its gate
    WARNING = "warning"  # reported, never fails a gate


class GateStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # could not run; a failure unless the caller allowed it by name
    NOT_RUN = "not_run"  # left out because an earlier gate failed: the verdict is NO already


@dataclass(frozen=True, slots=True)
class Failure:
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    severity: Severity = Severity.ERROR
    hint: str | None = None
    tool_code: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "severity": self.severity.value,
            "hint": self.hint,
            "tool_code": self.tool_code,
        }


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement of a checked project (what the architecture rules read)."""

    importer: str
    imported: str  # a module of the project, or the top-level name of an external package
    line: int | None


@dataclass(frozen=True, slots=True)
class GateResult:
    gate: str
    status: GateStatus
    seconds: float
    failures: tuple[Failure, ...] = ()
    evidence: Mapping[str, object] = field(default_factory=dict)
    reason: str | None = None  # why a gate failed without typed failures, or was skipped

    def to_dict(self) -> dict[str, object]:
        return {
            "gate": self.gate,
            "status": self.status.value,
            "seconds": round(self.seconds, 3),
            "reason": self.reason,
            "evidence": dict(self.evidence),
            "failures": [f.to_dict() for f in self.failures],
        }


@dataclass(frozen=True, slots=True)
class Readiness:
    """The verdict: YES only when every gate ran and passed, or was skipped with permission."""

    gates: tuple[GateResult, ...]
    allowed_skips: frozenset[str] = frozenset()

    def blocking(self) -> tuple[GateResult, ...]:
        """Failed gates and unallowed skips; gates not run count only if nothing failed."""
        failed = any(g.status is GateStatus.FAILED for g in self.gates)
        return tuple(
            g
            for g in self.gates
            if g.status is GateStatus.FAILED
            or (g.status is GateStatus.SKIPPED and g.gate not in self.allowed_skips)
            or (g.status is GateStatus.NOT_RUN and not failed)
        )

    @property
    def ready(self) -> bool:
        return not self.blocking()

    def failures(self) -> list[dict[str, object]]:
        """Every blocking finding, each coded by its rule or gate (a bare gate for skips)."""
        found: list[dict[str, object]] = []
        for gate in self.blocking():
            errors = [f for f in gate.failures if f.severity is Severity.ERROR]
            found.extend({"gate": gate.gate, **f.to_dict()} for f in errors)
            if not errors:
                message = gate.reason or f"the {gate.gate} gate {gate.status.value}"
                found.append({"gate": gate.gate, **Failure(gate.gate, message).to_dict()})
        return found

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": "YES" if self.ready else "NO",
            "allowed_skips": sorted(self.allowed_skips),
            "gates": [g.to_dict() for g in self.gates],
            "failures": self.failures(),
        }
