"""The compiler's own import pruning, judged by the pinned ruff on every example's raw tree.

Ruff's fix pass still runs after the compiler, so a miss here would cost time, not
correctness; these tests keep the misses to the conservative kind the pruning documents.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from ruff.__main__ import find_ruff_bin

from deeprun.adapters.tree_writer import FilesystemTreeWriter
from deeprun.logic.compiler import plan
from deeprun.services import specs
from deeprun.services.bench_compile import sized_spec
from tests.specs import EXAMPLES

CASES = sorted(p.name for p in EXAMPLES.glob("*.json"))


def raw_tree(tmp_path: Path, document: bytes) -> Path:
    canonical = specs.normalize(document).canonical
    assert canonical is not None
    root = tmp_path / "raw"
    FilesystemTreeWriter().write(plan(canonical), root, None)
    return root


def ruff_findings(root: Path, *rules: str) -> list[dict[str, object]]:
    command = [str(find_ruff_bin()), "check", "--no-cache", "--output-format", "json"]
    run = subprocess.run(
        [*command, "--exit-zero", "--select", ",".join(rules), "."],
        cwd=root,
        capture_output=True,
        check=True,
        timeout=120,
    )
    findings: list[dict[str, object]] = json.loads(run.stdout)
    return findings


@pytest.mark.parametrize("name", CASES)
def test_raw_imports_are_sorted_and_none_in_use_was_dropped(tmp_path: Path, name: str) -> None:
    root = raw_tree(tmp_path, (EXAMPLES / name).read_bytes())
    assert ruff_findings(root, "I001", "F821") == []


@pytest.mark.parametrize("name", CASES)
def test_an_unused_import_left_is_one_whose_name_the_text_mentions(
    tmp_path: Path, name: str
) -> None:
    root = raw_tree(tmp_path, (EXAMPLES / name).read_bytes())
    for finding in ruff_findings(root, "F401"):
        text = Path(str(finding["filename"])).read_text()
        assert re.search(rf"\b{re.escape(bound_name(finding, text))}\b", body(text)), finding


def bound_name(finding: dict[str, object], text: str) -> str:
    """The name the reported import binds: its alias, else the last part of what it imports."""
    imported = re.search(r"`([\w.]+)`", str(finding["message"]))
    assert imported is not None
    location = finding["location"]
    assert isinstance(location, dict)
    line = text.splitlines()[location["row"] - 1]
    alias = re.search(rf"\b{re.escape(imported.group(1).split('.')[-1])} as (\w+)", line)
    return alias.group(1) if alias else imported.group(1).split(".")[-1]


def body(text: str) -> str:
    """What follows the import block (the module's first two blank lines)."""
    return text.split("\n\n\n", 1)[-1]


def test_fifty_entities_need_no_import_fix(tmp_path: Path) -> None:
    root = raw_tree(tmp_path, sized_spec(50))
    assert ruff_findings(root, "I001", "F401", "F821") == []
