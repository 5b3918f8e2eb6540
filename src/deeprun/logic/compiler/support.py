"""What the templates generate today. A spec key they would ignore is refused, never dropped.

Every 1.0 and 1.1 key compiles for ordinary entities. The ``User`` entity of an authenticated
project is the account table, whose columns and routes are the auth module's: there only fields,
timestamps, permissions and the page size compile. A many_to_many relation may target it: the
account routes list the accounts linked to a row.
"""

from __future__ import annotations

from typing import Final

from deeprun.contracts.spec_ir import Entity11, Spec11
from deeprun.logic.compiler.view import ACCOUNT_ENTITY

_ACCOUNT_KEYS: Final = (
    "relations", "owned", "soft_delete", "unique_together", "indexes", "seed",
)  # fmt: skip
_LIST_KEYS: Final = ("filterable", "sortable", "searchable")


def unsupported(spec: Spec11) -> list[str]:
    """JSON pointers of every spec value the templates cannot honour yet."""
    if not spec.auth.enabled:
        return []
    found: list[str] = []
    for i, entity in enumerate(spec.entities):
        if entity.name == ACCOUNT_ENTITY:
            found.extend(f"/entities/{i}/{key}" for key in _account_keys(entity))
    return found


def _account_keys(entity: Entity11) -> list[str]:
    keys = [key for key in _ACCOUNT_KEYS if getattr(entity, key)]
    options = entity.list_options
    keys.extend(f"list/{key}" for key in _LIST_KEYS if getattr(options, key))
    pk = next(f.name for f in entity.fields if f.primary_key)
    if options.default_sort not in (None, pk):
        keys.append("list/default_sort")
    return keys
