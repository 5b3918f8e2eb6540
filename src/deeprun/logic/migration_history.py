"""The project's Alembic history as it is on disk: which revision is the head, and the next number.

Read from the revision files themselves (deeprun's and any the user added), so a user revision
on top of ours becomes the parent of the next one instead of a second head.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from deeprun.contracts.errors import OutputExistsError

REVISIONS_DIR: Final = "migrations/versions/"
_REVISION: Final = re.compile(rb"""^revision\s*(?::[^=\n]*)?=\s*["']([^"']+)["']""", re.MULTILINE)
_DOWN: Final = re.compile(rb"^down_revision\s*(?::[^=\n]*)?=(.*)$", re.MULTILINE)
_QUOTED: Final = re.compile(rb"""["']([^"']+)["']""")


@dataclass(frozen=True, slots=True)
class History:
    head: str | None
    """The revision the next one follows; None when there is no history yet."""
    next_number: str


def is_revision(path: str) -> bool:
    return path.startswith(REVISIONS_DIR) and path.endswith(".py") and path.count("/") == 2


def history(files: Mapping[str, bytes]) -> History:
    """Raises OutputExistsError when the revisions do not form one line to build on."""
    revisions: dict[str, str] = {}
    parents: set[str] = set()
    for path, data in sorted(files.items()):
        found = _REVISION.search(data)
        if found is None:
            continue
        revision = found.group(1).decode()
        if revision in revisions:
            raise OutputExistsError(
                f"{path} and {revisions[revision]} are both revision {revision!r}; "
                "give one of them a new id before regenerating"
            )
        revisions[revision] = path
        down = _DOWN.search(data)
        parents.update(q.decode() for q in _QUOTED.findall(down.group(1) if down else b""))
    heads = sorted(set(revisions) - parents)
    if len(heads) > 1:
        raise OutputExistsError(
            f"the migrations have {len(heads)} heads ({', '.join(heads)}); "
            "join them with `alembic merge heads` before regenerating"
        )
    numbers = [int(r) for r in revisions if r.isdigit()]
    number = max(numbers, default=0) + 1
    while f"{number:04d}" in revisions:
        number += 1
    return History(heads[0] if heads else None, f"{number:04d}")
