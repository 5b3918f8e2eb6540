"""Spec documents for tests: the examples, and a small valid 1.1 base to mutate."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from deeprun.logic.review import review

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def example(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return loaded


def base_11() -> dict[str, Any]:
    """A valid 1.1 spec: auth on, an owned Note with a many_to_one to Folder."""
    return copy.deepcopy(_BASE_11)


def codes(document: Any) -> set[tuple[str, str]]:
    """The (code, path) pairs review reports for ``document``."""
    return {(p.code.value, p.path) for p in review(document).problems}


_BASE_11: dict[str, Any] = {
    "spec_version": "1.1",
    "project_name": "notes_api",
    "description": "Notes in folders",
    "database": {"type": "postgres", "version": "17"},
    "auth": {"enabled": True},
    "entities": [
        {
            "name": "Folder",
            "fields": [
                {"name": "id", "type": "uuid", "primary_key": True},
                {"name": "title", "type": "string"},
            ],
        },
        {
            "name": "Note",
            "fields": [
                {"name": "id", "type": "integer", "primary_key": True},
                {"name": "body", "type": "text"},
                {"name": "size", "type": "integer", "nullable": True},
                {"name": "price", "type": "decimal", "nullable": True},
                {"name": "kind", "type": "enum", "values": ["plain", "rich"], "default": "plain"},
            ],
            "relations": [
                {"name": "folder", "kind": "many_to_one", "target": "Folder", "nullable": True},
            ],
            "owned": True,
        },
    ],
}
