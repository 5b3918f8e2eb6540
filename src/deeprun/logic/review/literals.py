"""Whether a JSON value is a literal of a field's type and within its constraints.

Defaults and seed rows share this check, so a default that the database or the input models
would refuse is caught at review, not at migration time.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from pydantic import JsonValue

from deeprun.contracts.spec_ir import Field11
from deeprun.logic.naming import to_snake

T = TypeVar("T")

DEFAULT_PRECISION = 12
DEFAULT_SCALE = 2
DEFAULT_STRING_MAX_LENGTH = 255


def literal_problem(field: Field11, value: JsonValue) -> str | None:
    """Why ``value`` is not acceptable for ``field``, or None when it is."""
    if value is None:
        return None if field.nullable else "null is not allowed: the field is not nullable"
    check = _CHECKS[field.type]
    return check(field, value)


def _string(field: Field11, value: JsonValue) -> str | None:
    if not isinstance(value, str):
        return f"expected a string, got {_kind(value)}"
    limit = field.max_length
    if limit is None and field.type == "string":
        limit = DEFAULT_STRING_MAX_LENGTH
    if limit is not None and len(value) > limit:
        return f"longer than max_length {limit}"
    if field.min_length is not None and len(value) < field.min_length:
        return f"shorter than min_length {field.min_length}"
    if field.pattern is not None and _matches(field.pattern, value) is False:
        return f"does not match pattern {field.pattern!r}"
    if field.format == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        return "is not an email address"
    if field.format == "url" and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value):
        return "is not an http(s) URL"
    return None


def _matches(pattern: str, value: str) -> bool | None:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return None  # the pattern itself is reported by the constraint rules


def _integer(field: Field11, value: JsonValue) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"expected an integer, got {_kind(value)}"
    return _bounds(field, Decimal(value))


def _float(field: Field11, value: JsonValue) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected a number, got {_kind(value)}"
    return _bounds(field, Decimal(str(value)))


def _decimal(field: Field11, value: JsonValue) -> str | None:
    number = as_decimal(value)
    if number is None:
        return f"expected a decimal number or decimal string, got {_kind(value)}"
    precision = field.precision or DEFAULT_PRECISION
    scale = DEFAULT_SCALE if field.scale is None else field.scale
    exponent = int(number.as_tuple().exponent)
    places = max(0, -exponent)
    whole = 0 if number.is_zero() else max(0, number.adjusted() + 1)
    if places > scale or whole > precision - scale:
        return f"does not fit numeric({precision}, {scale})"
    return _bounds(field, number)


def as_decimal(value: JsonValue) -> Decimal | None:
    """A finite Decimal from a JSON number or decimal string, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _bounds(field: Field11, number: Decimal) -> str | None:
    if field.minimum is not None and number < Decimal(str(field.minimum)):
        return f"below minimum {field.minimum}"
    if field.maximum is not None and number > Decimal(str(field.maximum)):
        return f"above maximum {field.maximum}"
    return None


def _boolean(field: Field11, value: JsonValue) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {_kind(value)}"


def _datetime(field: Field11, value: JsonValue) -> str | None:
    parsed = _parse(datetime.fromisoformat, value)
    if parsed is None:
        return "expected an ISO 8601 date-time string"
    return None if parsed.tzinfo is not None else "a date-time needs a UTC offset"


def _date(field: Field11, value: JsonValue) -> str | None:
    if (
        isinstance(value, str)
        and len(value) == 10
        and _parse(date.fromisoformat, value) is not None
    ):
        return None
    return "expected an ISO 8601 date string (YYYY-MM-DD)"


def _uuid(field: Field11, value: JsonValue) -> str | None:
    return None if _parse(uuid.UUID, value) is not None else "expected a UUID string"


def _parse(parser: Callable[[str], T], value: JsonValue) -> T | None:
    if not isinstance(value, str):
        return None
    try:
        return parser(value)
    except ValueError:
        return None


def _enum(field: Field11, value: JsonValue) -> str | None:
    values = {to_snake(v) for v in field.values or ()}
    if isinstance(value, str) and to_snake(value) in values:
        return None
    return f"expected one of {', '.join(sorted(v for v in values if v))}"


def _json(field: Field11, value: JsonValue) -> str | None:
    return None


def _kind(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        int: "an integer",
        float: "a number",
    }.get(type(value), "null")


_CHECKS = {
    "string": _string,
    "text": _string,
    "integer": _integer,
    "float": _float,
    "decimal": _decimal,
    "boolean": _boolean,
    "datetime": _datetime,
    "date": _date,
    "uuid": _uuid,
    "enum": _enum,
    "json": _json,
}
