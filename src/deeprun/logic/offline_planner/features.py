"""Sentences about entities as a whole or about fields already declared.

"Soft delete invoices", "track when orders are created and updated", "search posts by title",
"filter deals by stage", "sort by date", "SKUs are unique", "the phone is optional". A sentence
that names no entity applies to every entity.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Final

from deeprun.logic.naming import singularize
from deeprun.logic.offline_planner.draft import Blueprint
from deeprun.logic.offline_planner.entities import Catalog
from deeprun.logic.offline_planner.fields import field_name
from deeprun.logic.offline_planner.items import field_items
from deeprun.logic.offline_planner.nouns import Tokens

_SOFT: Final = frozenset({"soft-delete", "soft-deleted", "soft-deletes", "soft-deletion"})
_RESTORE: Final = frozenset(
    "restore restored restorable recoverable undelete undeleted trash recycle".split()
)
_CREATED: Final = frozenset({"created", "creation", "created_at"})
_CHANGED: Final = frozenset({"updated", "modified", "update", "changed", "updated_at", "edited"})
_WHEN: Final = frozenset("when time times date dates at track record keep timestamp".split())
_LISTS: Final = {
    "search": "searchable", "searchable": "searchable", "searching": "searchable",
    "full-text": "searchable", "filter": "filterable", "filterable": "filterable",
    "filtering": "filterable", "filtered": "filterable", "sort": "sortable",
    "sortable": "sortable", "sorted": "sortable", "sorting": "sortable", "ordered": "sortable",
}  # fmt: skip
_LIST_FIELD_MARKS: Final = frozenset({"by", "on", "over", "across", "using"})
_PATCH_MARKS: Final = frozenset(
    {"unique", "distinct", "optional", "nullable", "characters", "chars"}
)


def read_features(
    phrases: list[tuple[int, Tokens]], catalog: Catalog, blueprint: Blueprint
) -> None:
    for source, tokens in phrases:
        lows = [t.low for t in tokens]
        targets = [n for n in catalog.mentions(tokens) if n in blueprint.entities] or list(
            blueprint.entities
        )
        for flag in _flags(lows):
            for entity in targets:
                blueprint.mark(entity, flag, source)
        _lists(blueprint, tokens, lows, targets, source)
        if _PATCH_MARKS.intersection(lows) and source not in blueprint.used:
            _patch(blueprint, tokens, targets, source)


def _flags(lows: list[str]) -> list[str]:
    text = set(lows)
    flags = []
    pairs = set(pairwise(lows))
    soft = text & _SOFT or any(a == "soft" and b.startswith("delet") for a, b in pairs)
    archived = bool(text & {"archived", "archive"}) and bool(text & {"instead", "rather"})
    never = "never" in text and any(w.startswith("delet") for w in text)
    if soft or archived or never or text & _RESTORE:
        flags.append("soft_delete")
    stamped = "timestamps" in text or "time-stamps" in text or "audit" in text
    if stamped or (text & _CREATED and text & _CHANGED and text & _WHEN):
        flags.append("timestamps")
    return flags


def _lists(
    blueprint: Blueprint, tokens: Tokens, lows: list[str], targets: list[str], source: int
) -> None:
    for index, low in enumerate(lows):
        key = _LISTS.get(low)
        if key is None and low == "order" and index + 1 < len(lows) and lows[index + 1] == "by":
            key = "sortable"
        if key is None:
            continue
        mark = next((i for i in range(index + 1, len(lows)) if lows[i] in _LIST_FIELD_MARKS), None)
        names = _names(tokens, mark + 1) if mark is not None else []
        for entity in targets:
            draft = blueprint.entity(entity, source)
            wanted = draft.lists.setdefault(key, [])
            wanted.extend(n for n in names or ["*"] if n not in wanted)


def _names(tokens: Tokens, start: int) -> list[str]:
    end = next(
        (i for i in range(start, len(tokens)) if _LISTS.get(tokens[i].low) or tokens[i].low == ";"),
        len(tokens),
    )
    names = [field_name(item.words) for item in field_items(tokens, start, end)]
    return [n for n in names if n]


def _patch(blueprint: Blueprint, tokens: Tokens, targets: list[str], source: int) -> None:
    """ "SKUs are unique": constraints for fields some entity already has."""
    for item in field_items(tokens, 0, len(tokens)):
        if item.notes.is_empty:
            continue
        for words in (item.words, (*item.words[:-1], singularize(item.words[-1]))):
            name = field_name(words)
            for entity in targets:
                existing = blueprint.entities[entity].fields.get(name or "")
                if existing is None:
                    continue
                blueprint.used.add(source)
                if "unique" in item.notes.flags:
                    existing["unique"] = True
                if "optional" in item.notes.flags:
                    existing["nullable"] = True
                if item.notes.characters and item.notes.high and existing["type"] == "string":
                    existing["max_length"] = int(item.notes.high)
