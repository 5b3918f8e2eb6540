"""The document being built: entities with fields, relations, flags and access, and which
phrases (and which parts of them) went into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Field = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RelationDraft:
    source: str
    name: str
    kind: str  # many_to_one, one_to_one, many_to_many
    target: str
    nullable: bool
    origin: int  # the phrase that said it


@dataclass(slots=True)
class EntityDraft:
    name: str
    fields: dict[str, Field] = field(default_factory=dict)
    owned: bool = False
    soft_delete: bool = False
    timestamps: bool = False
    permissions: dict[str, list[str]] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # where each field was said


@dataclass(slots=True)
class Blueprint:
    entities: dict[str, EntityDraft] = field(default_factory=dict)
    relations: list[RelationDraft] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # phrases that went into the document
    dropped: list[tuple[int, int]] = field(default_factory=list)  # spans left out after all
    unbuilt: set[int] = field(default_factory=set)  # phrases whose relation was left out

    def entity(self, name: str, source: int) -> EntityDraft:
        self.used.add(source)
        return self.entities.setdefault(name, EntityDraft(name))

    def add_field(self, entity: str, data: Field, source: int, span: tuple[int, int]) -> None:
        draft = self.entity(entity, source)
        existing = draft.fields.get(data["name"])
        if existing is None:
            draft.fields[data["name"]] = data
            draft.spans[data["name"]] = span
        else:
            for key, value in data.items():
                existing.setdefault(key, value)

    def relate(self, relation: RelationDraft) -> None:
        self.entity(relation.source, relation.origin)
        self.entity(relation.target, relation.origin)
        self.relations.append(relation)

    def mark(self, entity: str, flag: str, source: int) -> None:
        draft = self.entity(entity, source)
        setattr(draft, flag, True)
