"""Our own code passes the gates we ask of generated code: ruff, mypy --strict, import-linter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

CHECKS = {
    "ruff check": [str(BIN / "ruff"), "check", "src", "tests", "dev.py"],
    "ruff format": [str(BIN / "ruff"), "format", "--check", "src", "tests", "dev.py"],
    "mypy --strict": [str(BIN / "mypy")],
    "import-linter": [str(BIN / "lint-imports")],
}


@pytest.mark.parametrize("command", CHECKS.values(), ids=CHECKS.keys())
def test_the_code_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("logic/naming.py", "import os", "Logic is pure"),
        ("contracts/problems.py", "import deeprun.services.specs", "Hexagonal layers"),
        ("adapters/__init__.py", "import deeprun.logic.naming", "Adapters implement ports"),
    ],
)
def test_a_layer_violation_breaks_the_import_contracts(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    shutil.copytree(ROOT / "src", tmp_path / "src")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "deeprun" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    verdicts = [ln for ln in result.stdout.splitlines() if ln.startswith(contract)]
    assert verdicts and verdicts[0].endswith("BROKEN"), result.stdout
