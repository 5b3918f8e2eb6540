"""`deeprun bench planner`: a planner's recall and precision on a corpus of prompts.

Each case is a prompt and what a careful designer would build from it (bench/planner/README.md).
A case whose spec fails review scores nothing found, so a planner cannot look precise by
refusing; the review failures are counted apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from deeprun.contracts.errors import DeeprunError, InputError
from deeprun.logic.planning.scoring import (
    DIMENSIONS,
    Shape,
    Tally,
    expected_shape,
    planned_shape,
    score,
)
from deeprun.services.planning import PromptToSpecAgent

_EMPTY = Tally(0, 0, 0)
_NOTHING = Shape({}, (), False, frozenset(), frozenset(), frozenset())  # what a failed plan found


@dataclass(frozen=True, slots=True)
class CaseScore:
    name: str
    scores: Mapping[str, Tally]
    auth_correct: bool
    error: str | None
    ignored: tuple[str, ...]
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
            "auth_correct": self.auth_correct,
            "error": self.error,
            "ignored": list(self.ignored),
            "seconds": round(self.seconds, 4),
        }


@dataclass(frozen=True, slots=True)
class PlannerBench:
    provider: str
    model: str
    cases: tuple[CaseScore, ...]

    @property
    def totals(self) -> dict[str, Tally]:
        return {d: sum((c.scores[d] for c in self.cases), _EMPTY) for d in DIMENSIONS}

    @property
    def reviewed(self) -> int:
        return sum(c.error is None for c in self.cases)

    @property
    def auth_accuracy(self) -> float:
        return sum(c.auth_correct for c in self.cases) / len(self.cases) if self.cases else 1.0

    def to_dict(self) -> dict[str, object]:
        return {
            "provider": self.provider,
            "model": self.model,
            "cases": [c.to_dict() for c in self.cases],
            "count": len(self.cases),
            "passed_review": self.reviewed,
            "auth_accuracy": round(self.auth_accuracy, 4),
            "totals": {k: v.to_dict() for k, v in self.totals.items()},
        }


def run(
    corpus: Mapping[str, bytes], agent: PromptToSpecAgent, clock: Callable[[], float]
) -> PlannerBench:
    """``corpus`` maps case names to the bytes of their files; a malformed case is ERR_INPUTS."""
    cases = tuple(
        _case(name, _read_case(name, data), agent, clock) for name, data in sorted(corpus.items())
    )
    return PlannerBench(agent.provider, agent.model_name, cases)


def _case(
    name: str, case: tuple[str, Shape], agent: PromptToSpecAgent, clock: Callable[[], float]
) -> CaseScore:
    prompt, expected = case
    started = clock()
    try:
        draft = agent.run(prompt)
    except DeeprunError as exc:
        return CaseScore(
            name, score(expected, _NOTHING), False, exc.code.value, (), clock() - started
        )
    planned = planned_shape(draft.canonical)
    return CaseScore(
        name,
        score(expected, planned),
        planned.auth == expected.auth,
        None,
        draft.ignored,
        clock() - started,
    )


class _Relation(BaseModel, extra="forbid", strict=True):
    source: str
    kind: str
    target: str


class _Expected(BaseModel, extra="forbid", strict=True):
    entities: dict[str, dict[str, str]]
    relations: list[_Relation]
    auth: bool
    owned: list[str]
    soft_delete: list[str]
    searchable: dict[str, list[str]]


class _Case(BaseModel, extra="forbid", strict=True):
    """bench/planner/README.md's case format, checked before anything is scored."""

    prompt: str
    expected: _Expected


def _read_case(name: str, data: bytes) -> tuple[str, Shape]:
    try:
        case = _Case.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(part) for part in first["loc"]) or "/"
        raise InputError(f"corpus case {name} is malformed at {where}: {first['msg']}") from exc
    return case.prompt, expected_shape(case.expected.model_dump())
