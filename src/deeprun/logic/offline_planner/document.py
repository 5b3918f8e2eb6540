"""The blueprint as a spec 1.1 document that passes review by construction.

Names review would refuse are renamed or dropped here (``order`` → ``sort_order``, a field the
entity's flags already add is replaced by the flag), an entity without fields gets a ``name``,
and access settings appear only where auth is on.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from deeprun.logic.naming import default_table_name, to_snake
from deeprun.logic.offline_planner.access import Access
from deeprun.logic.offline_planner.draft import Blueprint, EntityDraft, Field, RelationDraft
from deeprun.logic.offline_planner.relations import Relation, build, merge
from deeprun.logic.review.context import ACCOUNT_ENTITY
from deeprun.logic.review.reserved import (
    ACCOUNT_MANAGED_FIELDS,
    LIST_QUERY_PARAMETERS,
    POSTGRES_RESERVED,
    PYTHON_KEYWORDS,
)

Document = dict[str, Any]
_RENAMES: Final = {"order": "sort_order", "sort": "sort_order", "desc": "description"}
_TITLED: Final = frozenset(
    "post article task book event movie film song course project ticket issue page note "
    "chapter lesson episode album recipe job story todo video podcast".split()
)
_TEXTUAL: Final = frozenset({"string", "text"})
_MAX_FIELDS: Final = 250
_OPERATIONS: Final = ("create", "read", "update", "delete")
_KEEP_SEARCHABLE: Final = 3
_M2M: Final = "many_to_many"


def entity_documents(
    blueprint: Blueprint, access: Access, order: tuple[str, ...]
) -> list[Document]:
    names = [n for n in order if n in blueprint.entities]
    names += [n for n in blueprint.entities if n not in names]
    drafts = {name: blueprint.entities[name] for name in names}
    for draft in drafts.values():
        _clean_fields(draft, blueprint, access.enabled)
    _apply_ownership(drafts, access)
    claims = _off_the_account(blueprint) if access.enabled else blueprint.relations
    relations = build(merge(claims, set(drafts)), drafts)
    for draft in drafts.values():
        if not draft.fields:
            default = _default_field(draft.name)
            draft.fields[default] = {"name": default, "type": "string"}
    return [_entity(d, relations[d.name], access) for d in drafts.values()]


def _off_the_account(blueprint: Blueprint) -> list[RelationDraft]:
    """With auth on, ``User`` is the account table, which holds no relations of its own: "users
    belong to teams" or "users save favourite recipes" becomes a many-to-many from the other
    side to the accounts (listed both ways); accounts related to accounts are left out, and the
    phrase that said so is reported as ignored."""
    moved: list[RelationDraft] = []
    for claim in blueprint.relations:
        if claim.source != ACCOUNT_ENTITY:
            moved.append(claim)
        elif claim.target == ACCOUNT_ENTITY:
            blueprint.unbuilt.add(claim.origin)
        else:
            name = default_table_name(ACCOUNT_ENTITY) or "users"
            moved.append(
                replace(claim, source=claim.target, target=ACCOUNT_ENTITY, name=name, kind=_M2M)
            )
    return moved


def _default_field(entity: str) -> str:
    """What names a row of an entity the prompt gave no fields: a post's title, else a name."""
    head = (to_snake(entity) or "").rsplit("_", 1)[-1]
    return "title" if head in _TITLED else "name"


def _clean_fields(draft: EntityDraft, blueprint: Blueprint, auth: bool) -> None:
    """Managed columns become flags; reserved names are renamed; the rest stays as written."""
    account = auth and draft.name == ACCOUNT_ENTITY
    cleaned: dict[str, Field] = {}
    for name, data in draft.fields.items():
        if name in ("created_at", "updated_at"):
            draft.timestamps = True
        elif name == "deleted_at":
            draft.soft_delete = True
        elif name in ("id", "owner_id") or (account and name in ACCOUNT_MANAGED_FIELDS | {"email"}):
            continue
        else:
            new = _allowed_name(name, draft.name)
            if new in cleaned or len(cleaned) >= _MAX_FIELDS:
                blueprint.dropped.append(draft.spans[name])
                continue
            cleaned[new] = {**data, "name": new}
    draft.fields = cleaned


def _allowed_name(name: str, entity: str) -> str:
    if name in _RENAMES:
        return _RENAMES[name]
    if name in PYTHON_KEYWORDS or name in POSTGRES_RESERVED or name in LIST_QUERY_PARAMETERS:
        return f"{to_snake(entity)}_{name}"
    return name


def _apply_ownership(drafts: dict[str, EntityDraft], access: Access) -> None:
    for entity, _ in access.owned:
        for draft in (
            drafts.values() if entity is None else [drafts[entity]] if entity in drafts else []
        ):
            draft.owned = True
    for draft in drafts.values():
        if not access.enabled or (draft.name == ACCOUNT_ENTITY):
            draft.owned = False
        if draft.owned:
            draft.fields.pop("owner", None)


def _entity(draft: EntityDraft, relations: list[Relation], access: Access) -> Document:
    fields = [{"name": "id", "type": "uuid", "primary_key": True}, *draft.fields.values()]
    entity: Document = {"name": draft.name, "fields": fields}
    if relations:
        entity["relations"] = relations
    for flag in ("owned", "soft_delete", "timestamps"):
        if getattr(draft, flag):
            entity[flag] = True
    permissions = _permissions(draft, access)
    if permissions:
        entity["permissions"] = permissions
    options = _list_options(draft, relations)
    if options:
        entity["list"] = options
    return entity


def _permissions(draft: EntityDraft, access: Access) -> dict[str, list[str]]:
    if not access.enabled:
        return {}
    allowed = (
        set(access.roles) | {"public", "authenticated"} | ({"owner"} if draft.owned else set())
    )
    permissions: dict[str, list[str]] = {}
    for entity, operation, principals, _ in access.permissions:
        if entity not in (None, draft.name):
            continue
        chosen = permissions.setdefault(operation, [])
        for principal in principals:
            creating_owner = principal == "owner" and operation == "create"
            if principal in allowed and principal not in chosen and not creating_owner:
                chosen.append(principal)
    return {op: permissions[op] for op in _OPERATIONS if permissions.get(op)}


def _list_options(draft: EntityDraft, relations: list[Relation]) -> dict[str, list[str]]:
    managed = ({"created_at", "updated_at"} if draft.timestamps else set()) | (
        {"deleted_at"} if draft.soft_delete else set()
    )
    options: dict[str, list[str]] = {}
    for key in ("searchable", "filterable", "sortable"):
        chosen: list[str] = []
        for wanted in draft.lists.get(key, []):
            for name in _resolve(wanted, key, draft, relations, managed):
                if name not in chosen:
                    chosen.append(name)
        if chosen:
            options[key] = chosen
    return options


def _resolve(
    wanted: str, key: str, draft: EntityDraft, relations: list[Relation], managed: set[str]
) -> list[str]:
    """A list option's name as written ("date") → the field it means ("publish_date")."""
    textual = [n for n, f in draft.fields.items() if f["type"] in _TEXTUAL]
    if wanted == "*":
        return textual[:_KEEP_SEARCHABLE] if key == "searchable" else []
    usable = {n: f for n, f in draft.fields.items() if f["type"] != "json"}
    if key == "searchable":
        usable = {n: draft.fields[n] for n in textual}
    names = list(usable) + ([] if key == "searchable" else sorted(managed))
    relation_names = [
        r["name"] for r in relations if key == "filterable" or r["kind"] != "many_to_many"
    ]
    if key != "searchable":
        names += relation_names
    if wanted in names:
        return [wanted]
    parts = [n for n in names if wanted in n.split("_")]
    return parts[:1]
