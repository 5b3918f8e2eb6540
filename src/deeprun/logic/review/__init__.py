"""Review: a JSON document → the canonical IR, or every problem with it at once.

Two passes. The shape pass validates with the models of the document's version. The semantic
pass runs every rule over the entities whose shape is sound (a broken entity still counts as a
name others may refer to), unless a problem outside the entities makes that meaningless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import JsonValue, ValidationError

from deeprun.contracts.errors import InternalError
from deeprun.contracts.problems import Problem
from deeprun.contracts.spec_ir import Spec11
from deeprun.logic.naming import entity_name
from deeprun.logic.review import access, fields, names, references, relations
from deeprun.logic.review.context import ReviewContext, build_context
from deeprun.logic.review.normalize import normalize
from deeprun.logic.review.pointers import is_index
from deeprun.logic.review.schema import ShapeResult, check_shape

Rule = Callable[[ReviewContext], Iterable[Problem]]

RULES: tuple[Rule, ...] = (
    names.check_project_name,
    names.check_entity_names,
    names.check_table_names,
    names.check_member_names,
    names.check_enum_values,
    names.check_roles,
    fields.check_primary_keys,
    fields.check_constraints,
    fields.check_defaults,
    relations.check_targets,
    relations.check_nullability,
    relations.check_cycles,
    relations.check_reverse_names,
    relations.check_association_tables,
    access.check_owned,
    access.check_roles_exist,
    access.check_permissions,
    references.check_key_lists,
    references.check_list_options,
    references.check_seed,
)


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    """Either ``canonical`` (the canonical IR) or a non-empty ``problems``, never both."""

    version: str
    problems: tuple[Problem, ...]
    canonical: dict[str, Any] | None


def review(document: JsonValue) -> ReviewOutcome:
    shape = check_shape(document)
    problems = list(shape.problems)
    ctx = None if shape.blocking else _semantic_context(document, shape)
    if ctx is not None:
        for rule in RULES:
            problems.extend(rule(ctx))
    if problems:
        return ReviewOutcome(shape.version, _ordered(problems), None)
    if ctx is None or shape.spec is None:  # a sound shape always has both
        raise InternalError("review found no problem but has no validated spec")
    return ReviewOutcome(shape.version, (), normalize(shape.spec, ctx))


def _semantic_context(document: JsonValue, shape: ShapeResult) -> ReviewContext | None:
    if not isinstance(document, dict) or not isinstance(document.get("entities"), list):
        return None
    entities: list[Any] = list(document["entities"])  # type: ignore[arg-type]  # checked above
    sound = tuple(i for i in range(len(entities)) if i not in shape.broken_entities)
    if not sound:
        return None
    partial = {**document, "spec_version": "1.1", "entities": [entities[i] for i in sound]}
    try:
        spec = Spec11.model_validate(partial)
    except ValidationError:
        return None
    declared = {
        entity_name(e["name"])
        for e in entities
        if isinstance(e, dict) and isinstance(e.get("name"), str)
    }
    return build_context(spec, shape.version, sound, frozenset(n for n in declared if n))


def _ordered(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Document order (numeric indices compared as numbers), then code; duplicates dropped."""

    def key(problem: Problem) -> tuple[tuple[tuple[int, int, str], ...], str, str]:
        segments = tuple(
            (0, int(s), "") if is_index(s) else (1, 0, s) for s in problem.path.split("/")[1:]
        )
        return segments, problem.code.value, problem.message

    return tuple(sorted(set(problems), key=key))
