"""Normalization: a reviewed document → the canonical IR.

Canonical means: every name converted (PascalCase singular entities, snake_case everything else),
table names filled in, every default explicit, references spelled one way, principals sorted.
It runs only on documents that passed review, so every name here converts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from deeprun.contracts.spec_ir import Field11, Spec10, Spec11
from deeprun.logic.naming import entity_name, to_snake
from deeprun.logic.review.access import OPERATIONS, canonical_principal
from deeprun.logic.review.context import (
    AUTHENTICATED,
    OWNER,
    PUBLIC,
    EntityView,
    ReviewContext,
)
from deeprun.logic.review.literals import (
    DEFAULT_PRECISION,
    DEFAULT_SCALE,
    DEFAULT_STRING_MAX_LENGTH,
    as_decimal,
)
from deeprun.logic.review.references import resolve

Data = dict[str, Any]


def normalize(spec: Spec10, ctx: ReviewContext) -> Data:
    """The canonical IR of ``spec``, in its own version; ``ctx`` is its reviewed context."""
    data: Data = spec.model_dump(mode="json", by_alias=True)
    data["project_name"] = _snake(spec.project_name)
    v11 = isinstance(spec, Spec11)
    if v11:
        auth = data["auth"]
        auth["roles"] = [_snake(role) for role in auth["roles"]]
        auth["default_role"] = _snake(auth["default_role"])
    for entity_data, view in zip(data["entities"], ctx.entities, strict=True):
        entity_data["name"] = view.name
        entity_data["table_name"] = view.table
        for field_data, field in zip(entity_data["fields"], view.fields, strict=True):
            field_data["name"] = field.name
            if field.model.primary_key:
                field_data["unique"] = True
            if v11:
                _field_11(field_data)
        if v11:
            _entity_11(entity_data, view, ctx.auth_enabled)
    return data


def _snake(name: str) -> str:
    snake = to_snake(name)
    if snake is None:  # review guarantees this never happens
        raise ValueError(f"normalize() got an unreviewed name {name!r}")
    return snake


def _field_11(data: Data) -> None:
    kind = data["type"]
    if kind == "enum":
        data["values"] = [_snake(v) for v in data["values"]]
        if data["default"] is not None:
            data["default"] = _snake(data["default"])
    if kind == "string" and data["max_length"] is None:
        data["max_length"] = DEFAULT_STRING_MAX_LENGTH
    if kind == "decimal":
        data["precision"] = data["precision"] or DEFAULT_PRECISION
        data["scale"] = DEFAULT_SCALE if data["scale"] is None else data["scale"]
        if data["default"] is not None:
            data["default"] = _decimal_text(data["default"], data["scale"])


def _decimal_text(value: Any, scale: int) -> str:
    number = as_decimal(value) or Decimal(0)
    return str(number.quantize(Decimal(1).scaleb(-scale)))


def _entity_11(data: Data, view: EntityView, auth_enabled: bool) -> None:
    for relation_data in data["relations"]:
        relation_data["name"] = _snake(relation_data["name"])
        relation_data["target"] = entity_name(relation_data["target"])
        if relation_data["back_populates"] is not None:
            relation_data["back_populates"] = _snake(relation_data["back_populates"])
    data["permissions"] = _permissions(data["permissions"] or {}, view, auth_enabled)
    for key in ("unique_together", "indexes"):
        data[key] = [[_reference(view, name) for name in names] for names in data[key]]
    options = data["list"]
    sort: str = options["default_sort"] or _primary_key(view)
    descending = sort.startswith("-")
    options["default_sort"] = ("-" if descending else "") + _reference(view, sort.lstrip("-"))
    for key in ("filterable", "sortable", "searchable"):
        options[key] = [_reference(view, name) for name in options[key]]
    data["seed"] = [_seed_row(view, row) for row in data["seed"]]


def _primary_key(view: EntityView) -> str:
    return next(f.name for f in view.fields if f.model.primary_key and f.name)


def _permissions(given: Data, view: EntityView, auth_enabled: bool) -> Data:
    result: Data = {}
    for operation in OPERATIONS:
        principals = given.get(operation)
        if principals is None:
            principals = _default_principals(operation, view.model.owned, auth_enabled)
        result[operation] = sorted({canonical_principal(p) for p in principals})
    return result


def _default_principals(operation: str, owned: bool, auth_enabled: bool) -> list[str]:
    if not auth_enabled:
        return [PUBLIC]
    if owned and operation != "create":
        return [OWNER, "admin"]
    return [AUTHENTICATED]


def _reference(view: EntityView, raw: str) -> str:
    reference = resolve(view, raw)
    if reference is None:  # review guarantees this never happens
        raise ValueError(f"normalize() got an unreviewed reference {raw!r}")
    return reference.name


def _seed_row(view: EntityView, row: Data) -> Data:
    result: Data = {}
    for raw, value in row.items():
        reference = resolve(view, raw)
        if reference is None:  # review guarantees this never happens
            raise ValueError(f"normalize() got an unreviewed seed key {raw!r}")
        if reference.relation is not None:
            result[f"{reference.name}_id"] = value
        else:
            result[reference.name] = _seed_value(
                reference.field.model if reference.field else None, value
            )
    return result


def _seed_value(field: Field11 | None, value: Any) -> Any:
    if field is not None and field.type == "enum" and isinstance(value, str):
        return _snake(value)
    if field is not None and field.type == "decimal" and value is not None:
        return _decimal_text(value, DEFAULT_SCALE if field.scale is None else field.scale)
    return value
