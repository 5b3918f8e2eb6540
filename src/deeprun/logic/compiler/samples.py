"""Values the generated tests send: valid ones that differ per call, and one invalid per field.

Expressions are Python source evaluated in the generated tests with a counter in scope (``n``
unless told otherwise): the test factories count the rows of each table, so a table's values
differ per row. The helpers they call live in the generated ``tests/support.py``. A field with a
pattern gets strings built from its parsed expression by the tests' own helper.

A sample takes a bounded field's values in turn (``space`` of them before it repeats), so the
columns of a compound unique key take the counter in mixed radix (``counters``): together they
repeat only when every combination has been used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from deeprun.contracts.spec_ir import Field11
from deeprun.logic.compiler.field_types import precision, string_length

_SPAN: Final = 10**6


def sample(field: Field11, prefix: str, counter: str = "n") -> str:
    """A valid value of ``field``, different for every value of ``counter`` (up to ``space``)."""
    operand = counter if counter.isidentifier() else f"({counter})"
    kind = field.type
    if kind in ("string", "text"):
        if field.pattern is not None:
            shortest, longest = field.min_length or 0, string_length(field)
            return f"matching({json.dumps(field.pattern)}, {counter}, {shortest}, {longest})"
        if field.format == "email":
            return f"email_value({counter})"
        if field.format == "url":
            return f"url_value({counter})"
        return (
            f"text_value({json.dumps(prefix)}, {counter}, {field.min_length or 0}, "
            f"{string_length(field)})"
        )
    if kind == "integer":
        low, high = _range(field, 0)
        return f"number_in({counter}, {low}, {high})"
    if kind == "float":
        low, high = _range(field, 0)
        return f"float_in({counter}, {low}, {high})"
    if kind == "decimal":
        digits, scale = precision(field)
        low, high = _range(field, scale, digits - scale)
        return f'decimal_in({counter}, "{low}", "{high}", {scale})'
    if kind == "enum":
        return f"pick({tuple(field.values or ())!r}, {counter})"
    return {
        "boolean": f"{operand} % 2 == 0",
        "datetime": f"moment({counter})",
        "date": f"day({counter})",
        "uuid": "uuid_value()",
        "json": f'{{"n": {counter}}}',
    }[kind]


_FLOAT_STEPS: Final = 997
"""How many values ``float_in`` in the generated support takes in turn; ``day`` takes 20,000."""
_DAYS: Final = 20_000
_UNBOUNDED_DIGITS: Final = 18


def space(field: Field11) -> str | None:
    """How many different values ``sample`` gives for counters 0, 1, 2, … before the first
    repeat, as a Python expression (the generated tests count a pattern's strings themselves);
    None when it never repeats, or only after more rows than any test session makes."""
    kind = field.type
    if kind in ("string", "text"):
        if field.pattern is not None:
            shortest, longest = field.min_length or 0, string_length(field)
            return f"matching_count({json.dumps(field.pattern)}, {shortest}, {longest})"
        longest = string_length(field)
        # text_value keeps the counter's last digits: all of them below 10**longest
        if field.format is None and longest < _UNBOUNDED_DIGITS:
            return str(10**longest)
        return None
    if kind == "integer":
        low, high = _range(field, 0)
        return str(int(high - low) + 1)
    if kind == "float":
        low, high = _range(field, 0)
        return str(_FLOAT_STEPS if high > low else 1)
    if kind == "decimal":
        digits, scale = precision(field)
        low, high = _range(field, scale, digits - scale)
        step = Decimal(1).scaleb(-scale)
        return str(int((high - low) / step) + 1)  # as decimal_in counts them
    if kind == "enum":
        return str(len(field.values or ()))
    return {"boolean": "2", "date": str(_DAYS)}.get(kind)


def counters(groups: Sequence[Sequence[tuple[str, str | None]]]) -> dict[str, str]:
    """The counter of each column in a compound unique key, for a factory whose row counter is
    ``n``: the key's columns take ``n`` in mixed radix over their ``space`` (the last column
    the least significant digit), so two rows repeat the whole key only after every
    combination. ``groups`` lists each key's columns as (name, space): ``None`` for a column
    that keeps the key distinct by itself (any of its values differs per row, it is unique on
    its own, or it is null), ``"1"`` for one the factory does not vary. A column keeps ``n``
    when its key needs no help or an earlier key already gave it a counter."""
    given: dict[str, str] = {}
    for group in groups:
        if any(size is None for _, size in group):
            continue
        varied = [(name, size) for name, size in group if size != "1" and name not in given]
        if len(varied) < 2:
            continue
        below: list[str] = []
        for position, (name, size) in reversed(list(enumerate(varied))):
            assert size is not None  # every None skipped the group above
            divisor = _product(below)
            counter = "n" if divisor == "1" else f"n // {divisor}"
            given[name] = counter if position == 0 else f"{counter} % {size}"
            below.append(size)
    return given


def _product(sizes: Sequence[str]) -> str:
    """The product of ``sizes`` as an expression: whole numbers folded, calls kept."""
    number = math.prod(int(size) for size in sizes if size.isdigit())
    calls = [size for size in sizes if not size.isdigit()]
    if not calls:
        return str(number)
    factors = [*([str(number)] if number != 1 else []), *calls]
    return factors[0] if len(factors) == 1 else "(" + " * ".join(factors) + ")"


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
