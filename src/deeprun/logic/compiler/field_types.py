"""How each spec field type and its constraints appear in Python, SQLAlchemy and SQL.

One table (``TYPES``) gives the fixed parts; the functions below add what depends on a field's
own constraints: the input annotation with its bounds, the column type with its length or
precision, the server default and the CHECK constraints the database enforces itself.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from deeprun.contracts.spec_ir import Field11
from deeprun.logic.review.literals import (
    DEFAULT_PRECISION,
    DEFAULT_SCALE,
    DEFAULT_STRING_MAX_LENGTH,
)


@dataclass(frozen=True, slots=True)
class TypeInfo:
    python: str
    """The type in entities, models and responses."""
    input: str
    """The base type in request models, before the field's own constraints."""
    ddl: str
    """The SQLAlchemy column type, formatted with ``n`` (length), ``p`` and ``s`` (numeric)."""
    sql: str
    """The PostgreSQL type, for the casts of a later migration (same placeholders)."""


TYPES: Final[dict[str, TypeInfo]] = {
    "string": TypeInfo("str", "SafeStr", "sa.String(length={n})", "varchar({n})"),
    "text": TypeInfo("str", "SafeStr", "sa.Text()", "text"),
    "integer": TypeInfo("int", "BigInt", "sa.BigInteger()", "bigint"),
    "float": TypeInfo("float", "FiniteFloat", "sa.Double()", "double precision"),
    "boolean": TypeInfo("bool", "bool", "sa.Boolean()", "boolean"),
    "datetime": TypeInfo(
        "dt.datetime", "AwareDatetime", "sa.DateTime(timezone=True)", "timestamp with time zone"
    ),
    "date": TypeInfo("dt.date", "dt.date", "sa.Date()", "date"),
    "uuid": TypeInfo("uuid.UUID", "uuid.UUID", "sa.Uuid()", "uuid"),
    "decimal": TypeInfo(
        "Decimal", "Decimal", "sa.Numeric(precision={p}, scale={s})", "numeric({p}, {s})"
    ),
    "enum": TypeInfo("str", "str", "sa.String(length={n})", "varchar({n})"),
    "json": TypeInfo("Any", "JsonValue", "JSONB(none_as_null=True)", "jsonb"),
}
_FORMATS: Final = {"email": "EmailText", "url": "HttpUrlText"}
UUID_DEFAULT: Final = 'sa.text("gen_random_uuid()")'


def precision(field: Field11) -> tuple[int, int]:
    scale = DEFAULT_SCALE if field.scale is None else field.scale
    return field.precision or DEFAULT_PRECISION, scale


def string_length(field: Field11) -> int:
    if field.type == "enum":
        return max(len(v) for v in field.values or ("",))
    return field.max_length or DEFAULT_STRING_MAX_LENGTH


def ddl_type(field: Field11) -> str:
    digits, scale = precision(field)
    return TYPES[field.type].ddl.format(n=string_length(field), p=digits, s=scale)


def sql_type(field: Field11) -> str:
    digits, scale = precision(field)
    return TYPES[field.type].sql.format(n=string_length(field), p=digits, s=scale)


def input_annotation(field: Field11) -> str:
    """The request-model type: the base type narrowed by every constraint of the field."""
    if field.type == "enum":
        return "Literal[" + ", ".join(json.dumps(v) for v in field.values or ()) + "]"
    base = _FORMATS.get(field.format or "", TYPES[field.type].input)
    if field.type == "json" and not field.nullable:
        base = "RequiredJson"
    args = _constraint_args(field)
    return f"Annotated[{base}, Field({', '.join(args)})]" if args else base


def _constraint_args(field: Field11) -> list[str]:
    args: list[str] = []
    if field.type in ("string", "text"):
        if field.min_length:
            args.append(f"min_length={field.min_length}")
        if field.type == "string" or field.max_length is not None:
            args.append(f"max_length={string_length(field)}")
        if field.pattern is not None:
            args.append(f"pattern={json.dumps(field.pattern)}")
    if field.type == "decimal":
        digits, scale = precision(field)
        args.extend([f"max_digits={digits}", f"decimal_places={scale}"])
    if field.minimum is not None:
        args.append(f"ge={_number(field, field.minimum)}")
    if field.maximum is not None:
        args.append(f"le={_number(field, field.maximum)}")
    return args


def _number(field: Field11, value: float) -> str:
    if field.type == "decimal":
        return f'Decimal("{Decimal(str(value))}")'
    return repr(float(value)) if field.type == "float" else str(int(value))


def checks(field: Field11) -> list[tuple[str, str]]:
    """CHECK constraints as (name suffix, SQL condition): enum values and numeric bounds."""
    found: list[tuple[str, str]] = []
    column = field.name
    quoted = f'"{column}"'
    if field.type == "enum":
        values = ", ".join(f"'{v}'" for v in field.values or ())
        found.append((f"{column}_values", f"{quoted} IN ({values})"))
    if field.minimum is not None:
        found.append((f"{column}_minimum", f"{quoted} >= {Decimal(str(field.minimum))}"))
    if field.maximum is not None:
        found.append((f"{column}_maximum", f"{quoted} <= {Decimal(str(field.maximum))}"))
    return found


def python_literal(field: Field11, value: object) -> str:
    """A Python expression for a reviewed JSON literal of ``field``'s type (a default, a seed)."""
    if value is None:
        return "None"
    kind = field.type
    if kind == "decimal":
        return f'Decimal("{value}")'
    if kind == "date":
        return f'dt.date.fromisoformat("{value}")'
    if kind == "datetime":
        return f'dt.datetime.fromisoformat("{value}")'
    if kind == "uuid":
        return f'uuid.UUID("{value}")'
    if kind == "float":
        return repr(float(value))  # type: ignore[arg-type]
    if kind == "json":
        return f"json.loads({json.dumps(json.dumps(value, sort_keys=True))})"
    return repr(value)


def server_default(field: Field11) -> str | None:
    """The column's server default, so rows inserted without the field (seeds, SQL) get it."""
    value = field.default
    if value is None:
        return None
    if field.type == "boolean":
        return "sa.true()" if value else "sa.false()"
    if field.type == "json":
        literal = json.dumps(value, sort_keys=True, separators=(",", ":"))
        return f"sa.text({json.dumps(_sql_string(literal) + '::jsonb')})"
    if field.type in ("integer", "float", "decimal"):
        return f"sa.text({json.dumps(str(Decimal(str(value))))})"
    if field.type == "datetime":
        value = dt.datetime.fromisoformat(str(value)).astimezone(dt.UTC).isoformat()
    return f"sa.text({json.dumps(_sql_string(str(value)))})"


_FILLS: Final = {
    "integer": "0", "float": "0", "decimal": "0", "boolean": "false", "datetime": "now()",
    "date": "CURRENT_DATE", "uuid": "gen_random_uuid()", "json": "'{}'::jsonb",
}  # fmt: skip


def fill_sql(field: Field11) -> str:
    """SQL for the value existing rows get when a later migration makes the column required:
    the declared default, else a value within the field's own constraints."""
    value = field.default
    if value is None:
        return _placeholder_sql(field)
    if field.type == "boolean":
        return "true" if value else "false"
    if field.type == "json":
        return _sql_string(json.dumps(value, sort_keys=True, separators=(",", ":"))) + "::jsonb"
    if field.type in ("integer", "float", "decimal"):
        return str(Decimal(str(value)))
    return _sql_string(str(value))


def _placeholder_sql(field: Field11) -> str:
    if field.type == "enum":
        return _sql_string((field.values or ("",))[0])
    if field.type in ("string", "text"):
        return _sql_string("-" * (field.min_length or 0))
    bound = placeholder_bound(field)
    return _FILLS[field.type] if bound is None else str(Decimal(str(bound)))


def placeholder_bound(field: Field11) -> float | None:
    """The number nearest zero within a numeric field's range, when zero is outside it."""
    if field.type not in ("integer", "float", "decimal"):
        return None
    if field.minimum is not None and field.minimum > 0:
        return field.minimum
    if field.maximum is not None and field.maximum < 0:
        return field.maximum
    return None


def _sql_string(text: str) -> str:
    """A quoted SQL literal for ``sa.text``, whose ``:name`` bind syntax a backslash escapes."""
    return "'" + text.replace("'", "''").replace(":", "\\:") + "'"
