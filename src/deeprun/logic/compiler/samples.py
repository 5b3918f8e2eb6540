"""Values the generated tests send: valid ones that differ per call, and one invalid per field.

Expressions are Python source evaluated in the generated tests with ``n``, a number unique to
the test session, in scope; the helpers they call live in the generated ``tests/support.py``.
A field with a pattern gets strings built from its parsed expression by the tests' own helper.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Final

from deeprun.contracts.spec_ir import Field11
from deeprun.logic.compiler.field_types import precision, string_length

_SPAN: Final = 10**6


def sample(field: Field11, prefix: str) -> str:
    """A valid value of ``field``, different for every ``n``."""
    kind = field.type
    if kind in ("string", "text"):
        if field.pattern is not None:
            shortest, longest = field.min_length or 0, string_length(field)
            return f"matching({json.dumps(field.pattern)}, n, {shortest}, {longest})"
        if field.format == "email":
            return "email_value(n)"
        if field.format == "url":
            return "url_value(n)"
        return (
            f"text_value({json.dumps(prefix)}, n, {field.min_length or 0}, {string_length(field)})"
        )
    if kind == "integer":
        low, high = _range(field, 0)
        return f"number_in(n, {low}, {high})"
    if kind == "float":
        low, high = _range(field, 0)
        return f"float_in(n, {low}, {high})"
    if kind == "decimal":
        digits, scale = precision(field)
        low, high = _range(field, scale, digits - scale)
        return f'decimal_in(n, "{low}", "{high}", {scale})'
    if kind == "enum":
        return f"pick({tuple(field.values or ())!r}, n)"
    return {
        "boolean": "n % 2 == 0",
        "datetime": "moment(n)",
        "date": "day(n)",
        "uuid": "uuid_value()",
        "json": '{"n": n}',
    }[kind]


def _range(field: Field11, scale: int, whole_digits: int = 18) -> tuple[Decimal, Decimal]:
    """Bounds for samples: the field's own, else a wide span inside what the column holds."""
    step = Decimal(1).scaleb(-scale)
    ceiling = Decimal(10) ** min(whole_digits, 18) - step
    low = Decimal(str(field.minimum)) if field.minimum is not None else None
    high = Decimal(str(field.maximum)) if field.maximum is not None else None
    if low is None:
        low = max(-ceiling, min(Decimal(0), (high or Decimal(0)) - _SPAN))
    if high is None:
        high = min(ceiling, low + _SPAN)
    if field.type == "integer":
        return low.to_integral_value(rounding="ROUND_CEILING"), high.to_integral_value(
            rounding="ROUND_FLOOR"
        )
    return low, high


def invalid(field: Field11) -> str | None:
    """A value the input model must refuse with 422, or None when every value is valid."""
    kind = field.type
    if kind in ("string", "text"):
        if field.min_length:
            return json.dumps("")
        if field.format is not None:
            return json.dumps("not an address")
        if kind == "string" or field.max_length is not None:
            return f'"x" * {string_length(field) + 1}'
        return json.dumps("nul \x00")
    if kind in ("integer", "float", "decimal"):
        if field.maximum is not None:
            return _over(field)
        return {"integer": "2**63", "float": '"not-a-number"', "decimal": '"NaN"'}[kind]
    return {
        "boolean": '"maybe"',
        "datetime": '"2024-01-01T00:00:00"',
        "date": '"2024-13-45"',
        "uuid": '"not-a-uuid"',
        "enum": '"not_a_value"',
        "json": None if field.nullable else "None",
    }[kind]


def _over(field: Field11) -> str:
    maximum = Decimal(str(field.maximum))
    above = maximum + abs(maximum) + 1  # +1 alone vanishes in a 28-digit context
    return f'"{above}"' if field.type == "decimal" else str(above)
