"""Three-way merge of one text file: what deeprun wrote last time, the user's copy, the new one."""

from __future__ import annotations

from typing import Final

import merge3

YOURS: Final = b"yours"
DEEPRUN: Final = b"deeprun"


def merge(base: bytes, yours: bytes, generated: bytes) -> tuple[bytes, bool]:
    """The merged bytes and whether they are clean; a conflict holds standard markers, your
    lines first, so nothing on either side is lost."""
    merger = merge3.Merge3(
        base.splitlines(keepends=True),
        yours.splitlines(keepends=True),
        generated.splitlines(keepends=True),
    )
    merged = b"".join(
        merger.merge_lines(
            name_a=YOURS,
            name_b=DEEPRUN,
            start_marker=b"<<<<<<<",
            mid_marker=b"=======",
            end_marker=b">>>>>>>",
        )
    )
    clean = all(region[0] != "conflict" for region in merger.merge_regions())
    return merged, clean
