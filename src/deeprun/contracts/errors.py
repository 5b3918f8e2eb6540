"""The one error taxonomy of deeprun.

Every failure a user can see carries a stable ``ERR_*`` code. Codes are part of the public
contract: once released they are never renamed or reused.

    DeeprunError                 (code chosen by subclass)
    ├── InputError               ERR_INPUTS        unreadable: missing, binary, too big, not JSON
    ├── SpecInvalidError         ERR_SPEC_INVALID  the document was read but review found problems
    ├── NotBuiltError            ERR_NOT_BUILT     the verb exists but its engine has not landed yet
    ├── OutputExistsError        ERR_OUTPUT_EXISTS the output holds files deeprun did not write
    ├── OutputError              ERR_OUTPUT        the output could not be written (nothing was)
    ├── MergeConflictError       ERR_MERGE_CONFLICT an upgrade left conflict markers in edited files
    ├── ArchitectureError        ERR_ARCHITECTURE  `check architecture` found violations
    ├── NotReadyError            ERR_NOT_READY     `check ready` said NO: a gate failed or skipped
    ├── GateError                ERR_GATE          a gate's own machinery failed (no database, …)
    ├── SpecGenerationError      ERR_SPEC_GENERATION  no reviewable spec came from the prompt
    ├── ProviderError            ERR_PROVIDER      the LLM vendor failed (after bounded retries)
    ├── ProviderConfigError      ERR_PROVIDER_CONFIG  unknown provider, missing extra or key
    ├── BenchBelowTargetError    ERR_BENCH_BELOW_TARGET  a benchmark's pass rate is under its floor
    └── InternalError            ERR_INTERNAL      a defect of deeprun: logged with its traceback

Anything else that escapes a command becomes an InternalError, never a traceback on stdout.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deeprun.contracts.planning import Attempt
    from deeprun.contracts.problems import Problem


class ErrorCode(StrEnum):
    """Stable error codes, as they appear in envelopes and logs."""

    INPUTS = "ERR_INPUTS"
    SPEC_INVALID = "ERR_SPEC_INVALID"
    NOT_BUILT = "ERR_NOT_BUILT"
    OUTPUT_EXISTS = "ERR_OUTPUT_EXISTS"
    OUTPUT = "ERR_OUTPUT"
    MERGE_CONFLICT = "ERR_MERGE_CONFLICT"
    ARCHITECTURE = "ERR_ARCHITECTURE"
    NOT_READY = "ERR_NOT_READY"
    GATE = "ERR_GATE"
    SPEC_GENERATION = "ERR_SPEC_GENERATION"
    PROVIDER = "ERR_PROVIDER"
    PROVIDER_CONFIG = "ERR_PROVIDER_CONFIG"
    BENCH_BELOW_TARGET = "ERR_BENCH_BELOW_TARGET"
    INTERNAL = "ERR_INTERNAL"


class DeeprunError(Exception):
    """A failure with a stable code and a one-line message meant for the user."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def details(self) -> dict[str, object]:
        """What the error envelope carries besides code and message (nothing, by default)."""
        return {}


class InputError(DeeprunError):
    """The input could not be read as a document (size, encoding, syntax, nesting)."""

    code = ErrorCode.INPUTS


class SpecInvalidError(DeeprunError):
    """Review rejected the document; ``problems`` lists every finding at once."""

    code = ErrorCode.SPEC_INVALID

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        count = len(problems)
        super().__init__(f"the spec has {count} problem{'s' if count != 1 else ''}")
        self.problems = problems

    def details(self) -> dict[str, object]:
        return {"problems": [p.to_dict() for p in self.problems]}


class NotBuiltError(DeeprunError):
    """A verb whose engine is scheduled but not yet part of this release."""

    code = ErrorCode.NOT_BUILT


class OutputExistsError(DeeprunError):
    """Writing would overwrite files that deeprun did not generate, or that someone edited."""

    code = ErrorCode.OUTPUT_EXISTS


class OutputError(DeeprunError):
    """The file system refused the output; the folder is left as it was."""

    code = ErrorCode.OUTPUT


class MergeConflictError(DeeprunError):
    """Regenerating wrote every file, but edits and the new generation overlap in
    ``conflicts``: those files hold standard conflict markers for the user to resolve."""

    code = ErrorCode.MERGE_CONFLICT

    def __init__(self, conflicts: tuple[str, ...]) -> None:
        count = len(conflicts)
        super().__init__(
            f"{count} file{'s' * (count != 1)} ha{'ve' if count != 1 else 's'} conflict markers "
            f"({', '.join(conflicts)}); resolve them, or pass --accept-conflicts"
        )
        self.conflicts = conflicts

    def details(self) -> dict[str, object]:
        return {"conflicts": list(self.conflicts)}


class ArchitectureError(DeeprunError):
    """The project breaks architecture rules; the envelope lists each violation."""

    code = ErrorCode.ARCHITECTURE


class NotReadyError(DeeprunError):
    """The readiness verdict is NO; the envelope lists each blocking failure."""

    code = ErrorCode.NOT_READY


class GateError(DeeprunError):
    """What a gate needs could not be had; the gate that needed it fails with this message."""

    code = ErrorCode.GATE


class SpecGenerationError(DeeprunError):
    """Every attempt at a spec from the prompt failed review; ``attempts`` holds each one's
    problems, ``ignored`` the phrases the planner did not use."""

    code = ErrorCode.SPEC_GENERATION

    def __init__(
        self, message: str, attempts: tuple[Attempt, ...], ignored: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.ignored = ignored

    def details(self) -> dict[str, object]:
        return {"attempts": [a.to_dict() for a in self.attempts], "ignored": list(self.ignored)}


class ProviderError(DeeprunError):
    """The vendor answered with an error or not at all. ``retryable`` marks transport trouble
    (connection, timeout, 429, 5xx, overloaded); ``retry_after`` is the vendor's hint, if any."""

    code = ErrorCode.PROVIDER

    def __init__(
        self, message: str, *, retryable: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class ProviderConfigError(DeeprunError):
    """The provider cannot be used as configured: unknown name, SDK extra or key missing."""

    code = ErrorCode.PROVIDER_CONFIG


class BenchBelowTargetError(DeeprunError):
    """A benchmark ran to its end but passed fewer cases than ``--min-pass-rate`` asks; the
    envelope still carries the whole report."""

    code = ErrorCode.BENCH_BELOW_TARGET


class InternalError(DeeprunError):
    """Something escaped that should not have; the traceback goes to the log, not the user."""

    code = ErrorCode.INTERNAL
