"""Spec use cases: read a document, review it, normalize it, describe the schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deeprun.contracts.errors import InputError, SpecInvalidError
from deeprun.contracts.problems import Problem
from deeprun.contracts.spec_ir import SPEC_VERSIONS
from deeprun.logic.canonical_json import sha256_of
from deeprun.logic.documents import parse_document
from deeprun.logic.review import review
from deeprun.logic.spec_schema import spec_json_schema


@dataclass(frozen=True, slots=True)
class Validation:
    """The outcome of ``validate``: the problems, or the canonical IR and its hash."""

    version: str
    problems: tuple[Problem, ...]
    canonical: dict[str, Any] | None
    spec_hash: str | None

    def summary(self) -> dict[str, object]:
        """What every spec-reading command reports about its spec."""
        return {"spec_version": self.version, "spec_hash": self.spec_hash}


def validate(data: bytes) -> Validation:
    """Review raw bytes; raises InputError when they are not a readable JSON document."""
    outcome = review(parse_document(data))
    spec_hash = sha256_of(outcome.canonical) if outcome.canonical is not None else None
    return Validation(outcome.version, outcome.problems, outcome.canonical, spec_hash)


def normalize(data: bytes) -> Validation:
    """Like ``validate``, but a spec with problems is an error (SpecInvalidError)."""
    result = validate(data)
    if result.canonical is None:
        raise SpecInvalidError(result.problems)
    return result


def schema(version: str) -> dict[str, Any]:
    if version not in SPEC_VERSIONS:
        raise InputError(f"unknown spec version {version!r}; known: {', '.join(SPEC_VERSIONS)}")
    return spec_json_schema(version)
