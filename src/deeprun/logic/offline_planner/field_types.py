"""A field's type from the words that name it, or from a type the prompt states.

A stated type ("price (decimal)", "tags as json", "a completed boolean") always wins; a unit
("in minutes", "in km") comes next; the name decides the rest, its last word first ("unit cost"
is money, "published year" a number). What fits nothing is a string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class Kind:
    type: str
    format: str | None = None


STRING: Final = Kind("string")
_EMAIL: Final = Kind("string", "email")
_URL: Final = Kind("string", "url")

# Words that state a type outright.
STATED: Final = {
    **dict.fromkeys(_words("string str varchar char"), STRING),
    **dict.fromkeys(_words("text longtext markdown html paragraph"), Kind("text")),
    **dict.fromkeys(_words("integer int bigint smallint counter whole"), Kind("integer")),
    **dict.fromkeys(_words("float double real floating"), Kind("float")),
    **dict.fromkeys(_words("decimal numeric money currency"), Kind("decimal")),
    **dict.fromkeys(_words("boolean bool flag checkbox toggle"), Kind("boolean")),
    "date": Kind("date"),
    **dict.fromkeys(_words("datetime date-time timestamp timestamptz"), Kind("datetime")),
    **dict.fromkeys(_words("uuid guid"), Kind("uuid")),
    **dict.fromkeys(_words("json jsonb object dict map array hash"), Kind("json")),
    **dict.fromkeys(_words("enum choice"), Kind("enum")),
    **dict.fromkeys(_words("email e-mail"), _EMAIL),
    **dict.fromkeys(_words("url uri"), _URL),
}
# Stated types that also read as ordinary words in a name ("number", "list", "time").
LOOSE_STATED: Final = {
    "number": Kind("integer"),
    "list": Kind("json"),
    "time": Kind("datetime"),
    "link": _URL,
}
_UNITS: Final = {
    **dict.fromkeys(
        _words(
            "minutes minute mins min hours hour hrs seconds second secs days day weeks months "
            "years pages cents pennies points reps servings people persons units pieces items"
        ),
        Kind("integer"),
    ),
    **dict.fromkeys(
        _words(
            "km kilometers kilometres miles mile meters metres m cm mm kg kilograms grams g lbs "
            "pounds percent % degrees celsius fahrenheit liters litres ml feet inches ft"
        ),
        Kind("float"),
    ),
    **dict.fromkeys(_words("dollars euros usd eur gbp yen"), Kind("decimal")),
}
_BY_WORD: Final = {
    **dict.fromkeys(_words("email e-mail"), _EMAIL),
    **dict.fromkeys(_words("url website link homepage uri href"), _URL),
    **dict.fromkeys(
        _words(
            "price cost amount total subtotal salary fee fees balance budget revenue tax wage "
            "income payment deposit tip discount rate earnings spend spent charge fare rent "
            "compensation bonus refund payout"
        ),
        Kind("decimal"),
    ),
    **dict.fromkeys(
        _words(
            "quantity qty count stock age year capacity seats pages credits points votes views "
            "likes position rank floor mileage population duration minutes hours calories reps "
            "servings inventory units copies attempts stars downloads visits followers "
            "priority sequence index version number_of size level"
        ),
        Kind("integer"),
    ),
    **dict.fromkeys(
        _words(
            "rating score weight latitude lat longitude lng lon temperature height width depth "
            "length distance percentage percent ratio speed area volume gpa altitude elevation "
            "humidity pressure bmi accuracy probability progress"
        ),
        Kind("float"),
    ),
    **dict.fromkeys(
        _words(
            "published active done completed complete enabled disabled visible hidden "
            "available verified paid approved archived featured public private confirmed "
            "returned delivered shipped locked blocked banned pinned starred resolved finished "
            "flagged read default primary open closed sold"
        ),
        Kind("boolean"),
    ),
    **dict.fromkeys(_words("date birthday birthdate dob deadline due anniversary"), Kind("date")),
    **dict.fromkeys(_words("timestamp datetime time scheduled when"), Kind("datetime")),
    **dict.fromkeys(
        _words(
            "metadata settings attributes json preferences config configuration extra "
            "properties payload specs specifications dimensions data"
        ),
        Kind("json"),
    ),
    **dict.fromkeys(
        _words(
            "description body content notes note bio biography text summary comment comments "
            "details message instructions remarks review abstract excerpt feedback story "
            "explanation reason answer transcript caption lyrics"
        ),
        Kind("text"),
    ),
    **dict.fromkeys(_words("uuid guid"), Kind("uuid")),
}
_BOOLEAN_PREFIXES: Final = ("is_", "has_", "can_", "should_", "allow_", "allows_")


def stated_kind(word: str, *, loose: bool = False) -> Kind | None:
    """The type a word states ("decimal"), with ``loose`` also "number", "list", "time"."""
    return STATED.get(word) or (LOOSE_STATED.get(word) if loose else None)


def unit_kind(unit: str) -> Kind | None:
    return _UNITS.get(unit)


def is_unit(word: str) -> bool:
    return word in _UNITS


def infer_kind(words: tuple[str, ...]) -> Kind:
    """The type a field named by ``words`` most likely has."""
    name = "_".join(words)
    if name.startswith(_BOOLEAN_PREFIXES) or name.endswith("_flag"):
        return Kind("boolean")
    if name.startswith(("number_of_", "num_", "no_of_")) or name.endswith("_count"):
        return Kind("integer")
    if name.startswith("date_of_") or name.endswith(("_date", "_on")):
        return Kind("date")
    if name.endswith("_at") or name.endswith("_time"):
        return Kind("datetime")
    head = words[-1]
    if head in _BY_WORD:
        return _BY_WORD[head]
    if len(words) == 1 and _reads_as_state(head):
        return Kind("boolean")
    for word in reversed(words[:-1]):
        if word in ("email", "url", "website"):
            return _BY_WORD[word]
    return STRING


def _reads_as_state(word: str) -> bool:
    """``returned``, ``refundable``: a participle or -able word alone names a yes/no fact."""
    return len(word) > 4 and (
        (word.endswith("ed") and not word.endswith("eed")) or word.endswith("able")
    )
