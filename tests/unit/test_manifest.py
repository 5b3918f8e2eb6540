"""Sealing: the spec and manifest files, the tree hash, and telling generated files from edits."""

from __future__ import annotations

import json

from deeprun.logic.manifest import MANIFEST_PATH, SPEC_PATH, edited_files, seal, tree_hash

SPEC = {"spec_version": "1.0", "project_name": "p"}


def sealed(tree: dict[str, bytes]) -> dict[str, bytes]:
    return seal(tree, SPEC, generator_version="9.9", template_version="t/1").tree


def test_sealing_adds_the_spec_and_a_manifest_of_every_file() -> None:
    tree = sealed({"a.py": b"x = 1\n", "b/c.txt": b"c"})
    manifest = json.loads(tree[MANIFEST_PATH])
    assert json.loads(tree[SPEC_PATH]) == SPEC
    assert sorted(manifest["files"]) == sorted(["a.py", "b/c.txt", SPEC_PATH])
    assert manifest["generator"] == {"name": "deeprun", "version": "9.9"}
    assert manifest["template"] == "t/1"
    assert manifest["spec_hash"].startswith("sha256:")
    assert manifest["tree_hash"] == tree_hash(manifest["files"])


def test_one_changed_byte_changes_the_tree_hash() -> None:
    first = seal({"a.py": b"x = 1\n"}, SPEC, generator_version="1", template_version="t")
    second = seal({"a.py": b"x = 2\n"}, SPEC, generator_version="1", template_version="t")
    again = seal({"a.py": b"x = 1\n"}, SPEC, generator_version="1", template_version="t")
    assert first.tree_hash != second.tree_hash
    assert first.tree_hash == again.tree_hash
    assert first.tree == again.tree


def test_an_untouched_tree_has_no_edits() -> None:
    assert edited_files(sealed({"a.py": b"x = 1\n"})) == []


def test_edited_and_added_files_are_listed() -> None:
    tree = sealed({"a.py": b"x = 1\n", "b.py": b"y = 1\n"})
    tree["a.py"] = b"x = 2\n"
    tree["mine.py"] = b"z = 3\n"
    assert edited_files(tree) == ["a.py", "mine.py"]


def test_a_folder_without_a_manifest_is_not_ours() -> None:
    assert edited_files({"a.py": b""}) is None
    assert edited_files({MANIFEST_PATH: b"not json"}) is None
