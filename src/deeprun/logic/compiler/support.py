"""What the templates generate today. A spec key they would ignore is refused, never dropped.

Every 1.0 spec compiles. Of 1.1, the authentication keys, permissions by role, field
descriptions, string lengths and page size caps compile; the rest of SPEC_IR.md's 1.1 list
(relations, ownership, soft delete, ...) is reported by pointer until its templates land.
"""

from __future__ import annotations

from typing import Final

from deeprun.contracts.spec_ir import FIELD_TYPES_10, Entity11, Field11, Spec11

GENERATED_TYPES: Final = FIELD_TYPES_10
_FIELD_KEYS: Final = ("default", "min_length", "pattern", "format", "minimum", "maximum")
_LIST_KEYS: Final = ("filterable", "sortable", "searchable")
_ENTITY_KEYS: Final = (
    "relations", "owned", "soft_delete", "timestamps", "unique_together", "indexes", "seed",
)  # fmt: skip


def unsupported(spec: Spec11) -> list[str]:
    """JSON pointers of every spec value the templates cannot honour yet."""
    found: list[str] = []
    for i, entity in enumerate(spec.entities):
        found.extend(f"/entities/{i}/{key}" for key in _entity_keys(entity))
        for j, field in enumerate(entity.fields):
            found.extend(f"/entities/{i}/fields/{j}/{key}" for key in _field_keys(field))
    return found


def _entity_keys(entity: Entity11) -> list[str]:
    keys = [key for key in _ENTITY_KEYS if getattr(entity, key)]
    options = entity.list_options
    keys.extend(f"list/{key}" for key in _LIST_KEYS if getattr(options, key))
    pk = next(f.name for f in entity.fields if f.primary_key)
    if options.default_sort not in (None, pk):
        keys.append("list/default_sort")
    return keys


def _field_keys(field: Field11) -> list[str]:
    keys = ["type"] if field.type not in GENERATED_TYPES else []
    keys.extend(key for key in _FIELD_KEYS if getattr(field, key) is not None)
    keys.extend(key for key in ("read_only", "write_only") if getattr(field, key))
    if field.type == "text" and field.max_length is not None:
        keys.append("max_length")
    return keys
