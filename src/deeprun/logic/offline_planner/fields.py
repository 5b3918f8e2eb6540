"""An item of a field list as a spec field: name, type and the constraints the prompt stated."""

from __future__ import annotations

from typing import Any, Final

from deeprun.logic.naming import singularize, to_snake
from deeprun.logic.offline_planner.annotations import Notes
from deeprun.logic.offline_planner.field_types import (
    STRING,
    Kind,
    infer_kind,
    stated_kind,
    unit_kind,
)
from deeprun.logic.offline_planner.lexicon import FIELD_NAMES, LIST_FIELD_WORDS

Field = dict[str, Any]
_ALIASES: Final = {
    "desc": "description", "qty": "quantity", "dob": "date_of_birth", "e_mail": "email",
    "addr": "address", "pwd": "password", "tel": "phone", "no": "number", "descr": "description",
}  # fmt: skip
_NUMBERS: Final = frozenset({"integer", "float", "decimal"})
_TEXTS: Final = frozenset({"string", "text"})
_TRUE: Final = frozenset({"true", "yes", "on", "1"})
_FALSE: Final = frozenset({"false", "no", "off", "0"})
_MAX_VALUES: Final = 100


def field_name(words: tuple[str, ...]) -> str | None:
    """``("publish", "date")`` → ``publish_date``; None when no identifier can be made."""
    parts = [_ALIASES.get(w, w) for w in (to_snake(w) for w in words) if w]
    name = to_snake("_".join(parts)) if parts else None
    return _ALIASES.get(name, name) if name else None


def one_per_row(words: tuple[str, ...]) -> tuple[str, ...]:
    """ "Books have titles", "products have prices": each book has one title, so a plural field
    word after a plural subject is singular, and typed by its singular ("price" is money). Only
    a word the lexicon knows for a field's name or type changes; a list-like word ("notes",
    ``LIST_FIELD_WORDS``) and any other plural stay as written."""
    head = words[-1]
    single = singularize(head)
    if single == head or head in LIST_FIELD_WORDS:
        return words
    known = single in FIELD_NAMES or infer_kind((single,)) != STRING
    return (*words[:-1], single) if known else words


def build_field(words: tuple[str, ...], notes: Notes) -> Field | None:
    name = field_name(words)
    if name is None:
        return None
    values = _enum_values(notes.values)
    kind = _kind(words, notes, values)
    field: Field = {"name": name, "type": kind.type}
    if kind.format:
        field["format"] = kind.format
    if kind.type == "enum":
        field["values"] = values
        field["default"] = _snake_or(notes.default, values)
    elif notes.default is not None:
        default = _literal(kind.type, notes.default)
        if default is not None:
            field["default"] = default
    if "unique" in notes.flags and kind.type not in ("json", "boolean"):
        field["unique"] = True
    if "optional" in notes.flags:
        field["nullable"] = True
    field.update(_limits(kind.type, notes))
    return field


def _kind(words: tuple[str, ...], notes: Notes, values: list[str]) -> Kind:
    stated = stated_kind(notes.type_word, loose=True) if notes.type_word else None
    if values and (stated is None or stated.type == "enum"):
        return Kind("enum")
    if notes.boolean:
        return Kind("boolean")
    named = infer_kind(words)
    if stated is not None and stated.type != "enum":
        if stated == STRING and named.format:
            return named
        return _numeric_name(stated, named)
    unit = unit_kind(notes.unit) if notes.unit else None
    if unit is not None and not (named.type == "decimal" and unit.type == "float"):
        return unit
    if notes.characters and named.type not in _TEXTS:
        return STRING
    return named


def _numeric_name(stated: Kind, named: Kind) -> Kind:
    """A loose "number" keeps a money or measure name's own numeric type."""
    if stated.type == "integer" and named.type in ("decimal", "float"):
        return named
    return stated


def _enum_values(raw: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for value in raw:
        snake = to_snake(value)
        if snake and snake not in values and not snake[0].isdigit():
            values.append(snake)
    return values[:_MAX_VALUES] if len(values) >= 2 else []


def _snake_or(default: str | None, values: list[str]) -> str:
    snake = to_snake(default) if default else None
    return snake if snake in values else values[0]


def _literal(kind: str, raw: str) -> object | None:
    low = raw.lower()
    if kind == "boolean":
        return True if low in _TRUE else False if low in _FALSE else None
    if kind in _NUMBERS:
        try:
            number = float(raw)
        except ValueError:
            return None
        return int(number) if kind == "integer" and number.is_integer() else number
    return raw if kind in _TEXTS else None


def _limits(kind: str, notes: Notes) -> Field:
    low, high = notes.low, notes.high
    if low is not None and high is not None and low > high:
        low, high = high, low
    limits: Field = {}
    if kind in _TEXTS and (notes.characters or kind == "string"):
        if low is not None and low >= 0 and notes.characters:
            limits["min_length"] = int(low)
        if high is not None and high >= 1:
            limits["max_length"] = int(high)
    elif kind in _NUMBERS:
        as_number = int if kind == "integer" else float
        for key, value in (("minimum", low), ("maximum", high)):
            if value is not None and (kind != "integer" or value.is_integer()):
                limits[key] = as_number(value)
    return limits
