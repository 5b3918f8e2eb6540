"""The shape pass: validate a document with the models of its version, map errors to problems.

Pydantic reports every shape error at once; this module turns each into a Problem with a stable
code and a pointer into the document as submitted (validator tags are dropped from the path).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pydantic import JsonValue, ValidationError
from pydantic_core import ErrorDetails

from deeprun.contracts.problems import Problem, ProblemCode
from deeprun.contracts.spec_ir import (
    FIELD_TYPES_10,
    FIELD_TYPES_11,
    MAX_ENTITIES,
    SPEC_MODELS,
    SPEC_VERSIONS,
    Spec10,
    Spec11,
)
from deeprun.logic.review.pointers import is_index, pointer

_LIMITED: Final = frozenset({"entities", "fields", "relations", "values", "seed"})


@dataclass(frozen=True, slots=True)
class ShapeResult:
    """Problems of the shape pass, and the indices of entities that carry any of them.

    ``blocking`` is true when a problem outside ``/entities/<i>`` makes whole-document rules
    meaningless (a bad ``auth``, a missing ``entities``...). ``spec`` is the validated model when
    there is no shape problem, so nothing validates the document a second time.
    """

    version: str
    problems: tuple[Problem, ...]
    broken_entities: frozenset[int]
    blocking: bool
    spec: Spec10 | None = None


def check_shape(document: JsonValue) -> ShapeResult:
    if not isinstance(document, dict):
        problem = Problem(ProblemCode.SCHEMA, "", "a spec must be a JSON object")
        return ShapeResult("1.1", (problem,), frozenset(), blocking=True)
    declared = document.get("spec_version")
    problems: list[Problem] = []
    if declared not in SPEC_VERSIONS:
        problems.append(_version_problem(declared, "spec_version" in document))
        version, document = "1.1", {**document, "spec_version": "1.1"}
    else:
        version = str(declared)
    entities = document.get("entities")
    if isinstance(entities, list) and len(entities) > MAX_ENTITIES:
        message = f"{len(entities)} entities; at most {MAX_ENTITIES} are allowed"
        problems.append(Problem(ProblemCode.LIMIT, "/entities", message))
        return ShapeResult(version, tuple(problems), frozenset(), blocking=True)
    spec, shape_problems = _validate(document, version)
    problems.extend(shape_problems)
    indices = [_entity_index(p.path) for p in problems]
    broken = frozenset(i for i in indices if i is not None)
    valid = spec if not problems else None
    return ShapeResult(version, tuple(problems), broken, blocking=None in indices, spec=valid)


def _version_problem(declared: object, present: bool) -> Problem:
    if not present:
        return Problem(ProblemCode.SCHEMA, "/spec_version", "spec_version is required")
    choices = ", ".join(repr(v) for v in SPEC_VERSIONS)
    return Problem(
        ProblemCode.SCHEMA,
        "/spec_version",
        f"spec_version must be one of {choices}, not {declared!r}",
    )


def _validate(document: dict[str, Any], version: str) -> tuple[Spec10 | None, list[Problem]]:
    try:
        return SPEC_MODELS[version].model_validate(document), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
    return None, list(_problems(document, version, errors))


def _problems(
    document: dict[str, Any], version: str, errors: list[ErrorDetails]
) -> Iterator[Problem]:
    newer_keys = _keys_known_in_11(document, errors) if version == "1.0" else frozenset()
    located = [(error, _document_path(document, error)) for error in errors]
    failed_at = {pointer(*parts) for _, parts in located}
    for error, parts in located:
        path = pointer(*parts)
        if error["type"] == "too_short" and any(p.startswith(path + "/") for p in failed_at):
            continue  # the items themselves failed; "too short" would only repeat that
        yield _problem(error, parts, version, newer_keys)


def _keys_known_in_11(document: dict[str, Any], errors: list[ErrorDetails]) -> frozenset[str]:
    """Paths of unknown keys in a 1.0 document that 1.1 would accept."""
    unknown = {
        pointer(*_document_path(document, e)) for e in errors if e["type"] == "extra_forbidden"
    }
    if not unknown:
        return frozenset()
    try:
        Spec11.model_validate({**document, "spec_version": "1.1"})
    except ValidationError as exc:
        still = {
            pointer(*_document_path(document, e))
            for e in exc.errors(include_url=False)
            if e["type"] == "extra_forbidden"
        }
        return frozenset(unknown - still)
    return frozenset(unknown)


def _problem(
    error: ErrorDetails, parts: list[str | int], version: str, newer_keys: frozenset[str]
) -> Problem:
    path = pointer(*parts)
    kind = error["type"]
    last = parts[-1] if parts else ""
    if kind == "extra_forbidden":
        if path in newer_keys:
            return Problem(
                ProblemCode.VERSION_FEATURE,
                path,
                f'{last!r} is a spec 1.1 key; set spec_version to "1.1" to use it',
            )
        return Problem(ProblemCode.UNKNOWN_KEY, path, f"unknown key {last!r}")
    if kind == "literal_error" and _is_field_type(parts):
        return Problem(ProblemCode.INVALID_FIELD_TYPE, path, _field_type_message(error, version))
    if kind == "missing":
        return Problem(ProblemCode.SCHEMA, path, f"{last!r} is required")
    if kind == "too_long" and parts and parts[-1] in _LIMITED:
        return Problem(ProblemCode.LIMIT, path, error["msg"])
    return Problem(ProblemCode.SCHEMA, path, error["msg"])


def _is_field_type(parts: Sequence[str | int]) -> bool:
    return (
        len(parts) == 5 and parts[0] == "entities" and parts[2] == "fields" and parts[4] == "type"
    )


def _field_type_message(error: ErrorDetails, version: str) -> str:
    allowed = FIELD_TYPES_10 if version == "1.0" else FIELD_TYPES_11
    given = error.get("ctx", {}).get("given", "")
    hint = ""
    if version == "1.0" and given in FIELD_TYPES_11:
        hint = f'; {given!r} needs spec_version "1.1"'
    return f"field type must be one of {', '.join(sorted(allowed))}{hint}"


def _document_path(document: JsonValue, error: ErrorDetails) -> list[str | int]:
    """The part of Pydantic's ``loc`` that names real places in the document (no union tags)."""
    node: Any = document
    parts: list[str | int] = []
    loc: tuple[Any, ...] = error["loc"]
    for position, item in enumerate(loc):
        found, child = _child(node, item)
        if found:
            parts.append(item)
            node = child
        elif isinstance(node, Mapping) and error["type"] == "missing" and position == len(loc) - 1:
            parts.append(str(item))
    return parts


def _child(node: Any, item: Any) -> tuple[bool, Any]:
    if isinstance(node, Mapping) and isinstance(item, str) and item in node:
        return True, node[item]
    if isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node):
        return True, node[item]
    return False, None


def _entity_index(path: str) -> int | None:
    """The entity a problem lies in, or None for problems outside any single entity."""
    segments = path.split("/")
    if len(segments) >= 3 and segments[1] == "entities" and is_index(segments[2]):
        return int(segments[2])
    return None
