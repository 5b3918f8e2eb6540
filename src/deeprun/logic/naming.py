"""Names as people write them (``BlogPost``, ``blogPost``, ``blog-post``, ``Blog post``).

A name converts when it is ASCII letters and digits in words separated by single spaces, hyphens
or underscores, starting with a letter. Anything else (a leading digit, symbols, accents, double
underscores) does not convert: ``to_words`` returns None and review reports
SPEC_INVALID_IDENTIFIER. Every conversion is idempotent.
"""

from __future__ import annotations

import re
from typing import Final

MAX_IDENTIFIER: Final = 63  # PostgreSQL truncates identifiers beyond 63 bytes

_SHAPE: Final = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[ _-][A-Za-z0-9]+)*")
_WORD: Final = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")

_IRREGULAR: Final = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "goose": "geese",
    "tooth": "teeth",
    "foot": "feet",
    "ox": "oxen",
    "quiz": "quizzes",
    "hero": "heroes",
    "potato": "potatoes",
    "tomato": "tomatoes",
    "echo": "echoes",
    "criterion": "criteria",
    "analysis": "analyses",
    "axis": "axes",
    "crisis": "crises",
    "diagnosis": "diagnoses",
    "thesis": "theses",
    "leaf": "leaves",
    "knife": "knives",
    "wife": "wives",
    "life": "lives",
    "half": "halves",
    "shelf": "shelves",
    "wolf": "wolves",
}
_SINGULAR_OF: Final = {plural: singular for singular, plural in _IRREGULAR.items()}
# The last word of check-ins, sign-ups, add-ons: too short for the rules, plural all the same.
_PARTICLE_PLURALS: Final = {"ins": "in", "ups": "up", "ons": "on"}
_UNCOUNTABLE: Final = frozenset(
    {
        "news", "series", "species", "equipment", "information", "data", "metadata", "media",
        "feedback", "software", "hardware", "firmware", "sheep", "fish", "deer", "staff",
        "physics", "analytics", "economics", "mathematics", "ethics", "logistics", "statistics",
        "aircraft", "music", "rice", "money", "traffic", "weather", "luggage", "baggage",
        "furniture", "evidence", "advice", "knowledge", "research", "chassis",
    }
)  # fmt: skip
_SINGULAR_ENDING_IN_S: Final = frozenset({"canvas", "alias", "atlas", "bias", "gas", "lens"})
# Singulars whose plural only adds "s" although its ending looks like a rule's ("movies").
_PLAIN_S: Final = frozenset(
    {
        "movie", "cookie", "calorie", "zombie", "rookie", "selfie", "hoodie", "smoothie",
        "brownie", "genie", "pie", "tie", "lie", "cache", "niche", "headache", "avalanche",
        "moustache", "mustache", "house", "warehouse", "greenhouse", "blouse", "spouse",
        "cause", "clause", "pause", "excuse", "abuse", "fuse", "course", "purpose", "menu",
        "sku", "guru", "emu", "haiku", "tofu",
    }
)  # fmt: skip


def to_words(name: str) -> tuple[str, ...] | None:
    """Lower-case words of ``name``, or None when it cannot become an identifier."""
    stripped = name.strip()
    if not _SHAPE.fullmatch(stripped):
        return None
    return tuple(w.lower() for part in re.split(r"[ _-]", stripped) for w in _WORD.findall(part))


def to_snake(name: str) -> str | None:
    """``Blog post`` → ``blog_post``; None when the result would not be a valid identifier."""
    words = to_words(name)
    if words is None:
        return None
    snake = "_".join(words)
    return snake if len(snake) <= MAX_IDENTIFIER else None


def to_pascal(name: str) -> str | None:
    """``blog_post`` → ``BlogPost``."""
    words = to_words(name)
    if words is None or len("_".join(words)) > MAX_IDENTIFIER:
        return None
    return "".join(w[:1].upper() + w[1:] for w in words)


def _is_invariant(word: str) -> bool:
    """Uncountable nouns and words ending in a digit (``line1``) keep one form."""
    return word in _UNCOUNTABLE or word[-1:].isdigit()


def singularize(word: str) -> str:
    """Singular of one lower-case English noun; unknown shapes are returned unchanged."""
    if word in _PARTICLE_PLURALS:
        return _PARTICLE_PLURALS[word]
    if _is_invariant(word) or word in _SINGULAR_ENDING_IN_S or len(word) <= 3:
        return word
    if word in _SINGULAR_OF:
        return _SINGULAR_OF[word]
    if word.endswith("s") and (word[:-1] in _PLAIN_S or word[:-1].endswith("house")):
        return word[:-1]
    if word.endswith("es") and word[:-2] in _SINGULAR_ENDING_IN_S:
        return word[:-2]
    if word in _IRREGULAR or word.endswith(("ss", "us", "is")) or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes", "uses")):
        return word[:-2]
    return word[:-1]


def pluralize(word: str) -> str:
    """Plural of one lower-case English noun."""
    if _is_invariant(word):
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _SINGULAR_OF:
        return word
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def entity_name(name: str) -> str | None:
    """The canonical entity name: PascalCase with its last word made singular."""
    words = to_words(name)
    if not words:
        return None
    return to_pascal("_".join((*words[:-1], singularize(words[-1]))))


def default_table_name(entity: str) -> str | None:
    """``BlogPost`` → ``blog_posts``: snake_case with the last word made plural."""
    words = to_words(entity)
    if not words:
        return None
    return to_snake("_".join((*words[:-1], pluralize(words[-1]))))
