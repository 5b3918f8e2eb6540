"""Sealing a generated tree: the spec it came from and a manifest that proves its bytes.

The manifest lists the sha256 of every generated file and a tree hash over those entries, so
two compiles can be compared by one string and later runs can tell generated files from edits.
Nothing in it depends on the clock, the host or the output folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from deeprun.logic.canonical_json import pretty_json, sha256_of

SPEC_PATH: Final = ".deeprun/spec.json"
MANIFEST_PATH: Final = ".deeprun/manifest.json"
MANIFEST_FORMAT: Final = 1


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_hash(hashes: Mapping[str, str]) -> str:
    """One hash for the whole tree: sha256 over sorted ``path NUL sha256 LF`` lines."""
    lines = b"".join(f"{path}\0{digest}\n".encode() for path, digest in sorted(hashes.items()))
    return "sha256:" + hashlib.sha256(lines).hexdigest()


@dataclass(frozen=True, slots=True)
class Sealed:
    tree: dict[str, bytes]
    tree_hash: str


def seal(
    tree: Mapping[str, bytes],
    canonical: dict[str, Any],
    *,
    generator_version: str,
    template_version: str,
    carried: Mapping[str, str] | None = None,
) -> Sealed:
    """The tree plus ``.deeprun/spec.json`` and ``.deeprun/manifest.json``. ``carried`` lists
    files deeprun generated earlier and keeps (by hash) without writing them again."""
    files = {**tree, SPEC_PATH: pretty_json(canonical).encode()}
    hashes = {**(carried or {}), **{path: file_hash(data) for path, data in files.items()}}
    hashes = dict(sorted(hashes.items()))
    whole = tree_hash(hashes)
    manifest = {
        "format": MANIFEST_FORMAT,
        "generator": {"name": "deeprun", "version": generator_version},
        "template": template_version,
        "spec_version": canonical["spec_version"],
        "spec_hash": sha256_of(canonical),
        "files": hashes,
        "tree_hash": whole,
    }
    return Sealed({**files, MANIFEST_PATH: pretty_json(manifest).encode()}, whole)


def edited_files(existing: Mapping[str, bytes]) -> list[str] | None:
    """Files added or changed since deeprun wrote this folder; None when deeprun did not."""
    manifest = read_manifest(existing[MANIFEST_PATH]) if MANIFEST_PATH in existing else None
    if manifest is None:
        return None
    listed = manifest["files"]
    return [
        path
        for path, data in sorted(existing.items())
        if path != MANIFEST_PATH and listed.get(path) != file_hash(data)
    ]


def read_manifest(data: bytes) -> dict[str, Any] | None:
    """A manifest's content, or None when the bytes are not a manifest of ours."""
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None
    return manifest
