"""A spec and its next version, for the regeneration tests (v2 adds, renames, widens, tightens)."""

from pathlib import Path

HERE = Path(__file__).parent
V1 = HERE / "v1.json"
V2 = HERE / "v2.json"
