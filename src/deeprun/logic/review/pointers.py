"""RFC 6901 JSON pointers for problem paths."""

from __future__ import annotations


def pointer(*parts: str | int) -> str:
    """``pointer("entities", 2, "fields")`` → ``/entities/2/fields``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def is_index(segment: str) -> bool:
    """A pointer segment that indexes an array (ASCII digits only: ``'¹'.isdigit()`` is true)."""
    return segment.isascii() and segment.isdigit()
