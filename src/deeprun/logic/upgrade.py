"""Regenerating onto a project deeprun generated before: which file gets what, and why.

Every path deeprun generated last time or generates now gets one outcome:

- ``added``: new in this generation (or deleted by the user and needed again);
- ``replaced``: untouched since deeprun wrote it, so the new version replaces it;
- ``merged``: edited by the user and changed by deeprun; a clean three-way merge was written;
- ``conflicted``: the same, with conflict markers where both changed the same lines;
- ``kept``: edited by the user while deeprun's version did not change, so it stays as it is;
  written-once files (the user's hooks, migration revisions) are never written again;
- ``removed``: no longer generated and untouched, so deleted;
- ``orphaned``: no longer generated but edited, so left in place and handed to the user.

Files deeprun never generated are not looked at. The merge base is last time's generation,
rebuilt from the spec recorded in the project; a file whose rebuilt base does not match the
manifest (a different template) is merged from an empty base, so every difference conflicts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from deeprun.logic.manifest import file_hash
from deeprun.logic.merging import merge

OUTCOMES = ("added", "replaced", "merged", "conflicted", "kept", "removed", "orphaned")


@dataclass(slots=True)
class Upgrade:
    writes: dict[str, bytes] = field(default_factory=dict)
    removals: list[str] = field(default_factory=list)
    owned: dict[str, str] = field(default_factory=dict)
    """Path -> sha256 of what deeprun generated, for the new manifest."""
    outcomes: dict[str, list[str]] = field(default_factory=lambda: {o: [] for o in OUTCOMES})

    def note(self, outcome: str, path: str) -> None:
        self.outcomes[outcome].append(path)


def reconcile(
    recorded: Mapping[str, str],
    base: Mapping[str, bytes],
    fresh: Mapping[str, bytes],
    disk: Mapping[str, bytes],
    once: Callable[[str], bool],
) -> Upgrade:
    """``recorded``: the old manifest's hashes; ``base``: last generation rebuilt; ``fresh``:
    this generation; ``disk``: the current bytes of those paths that exist."""
    upgrade = Upgrade()
    for path in sorted(recorded.keys() | fresh.keys()):
        new, mine = fresh.get(path), disk.get(path)
        if once(path):
            _once(upgrade, path, recorded.get(path), new, mine)
        elif new is None:
            _obsolete(upgrade, path, recorded[path], mine)
        else:
            upgrade.owned[path] = file_hash(new)
            _generated(upgrade, path, new, mine, recorded=recorded.get(path), base=base.get(path))
    return upgrade


def _once(
    upgrade: Upgrade, path: str, recorded: str | None, new: bytes | None, mine: bytes | None
) -> None:
    if mine is None and new is not None:
        upgrade.writes[path] = new
        upgrade.owned[path] = file_hash(new)
        upgrade.note("added", path)
        return
    if recorded is not None:
        upgrade.owned[path] = recorded
    elif new is not None:
        upgrade.owned[path] = file_hash(new)
    if mine is not None and recorded != file_hash(mine):
        upgrade.note("kept", path)


def _obsolete(upgrade: Upgrade, path: str, recorded: str, mine: bytes | None) -> None:
    if mine is None:
        return
    if file_hash(mine) == recorded:
        upgrade.removals.append(path)
        upgrade.note("removed", path)
    else:
        upgrade.note("orphaned", path)


def _generated(
    upgrade: Upgrade,
    path: str,
    new: bytes,
    mine: bytes | None,
    *,
    recorded: str | None,
    base: bytes | None,
) -> None:
    if mine == new:
        return
    if mine is None or (recorded is not None and file_hash(mine) == recorded):
        upgrade.writes[path] = new
        upgrade.note("added" if mine is None else "replaced", path)
        return
    if base is None or recorded is None or file_hash(base) != recorded:
        base = b""
    elif base == new:
        upgrade.note("kept", path)
        return
    merged, clean = merge(base, mine, new)
    if merged == mine:
        upgrade.note("kept", path)
        return
    upgrade.writes[path] = merged
    upgrade.note("merged" if clean else "conflicted", path)
