"""Prompt to project with the offline planner: every corpus prompt compiles into a project that
passes the static rules, and `deeprun new --check` says YES on prompts of different shapes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from deeprun.adapters.ruff_formatter import RuffFormatter
from deeprun.adapters.tree_writer import FilesystemTreeWriter
from deeprun.entrypoints.bootstrap import architecture_tools
from deeprun.services import architecture
from deeprun.services.planning import CodeGenerationAgent, PromptToSpecAgent
from tests.doubles.language_model import RecordedWaits
from tests.generated.harness import DEEPRUN
from tests.specs import ROOT

CORPUS = ROOT / "bench" / "planner" / "cases"
CASES = sorted(CORPUS.glob("*.json"))

PROMPTS = {
    "recipes": (
        "A recipe sharing API. Users sign up and manage their own recipes (title, "
        "instructions, prep minutes, published flag, rating 1-5). Each recipe belongs to a "
        "cuisine (name, unique). Recipes can have many tags. Search recipes by title. "
        "Deleted recipes are archived instead of deleted."
    ),
    "clinic": (
        "Clinic backend with roles admin, doctor and receptionist. Patients have a first "
        "name, last name, birth date, email and phone (optional). Appointments have a start "
        "time, status (scheduled, completed, cancelled) and notes; each appointment is for a "
        "patient and with a doctor. Only admins can delete patients."
    ),
    "inventory": (
        "Inventory without login: warehouses (name, city), products (sku unique, name, price, "
        "weight in kg), stock levels (quantity, reorder level); each stock level belongs to a "
        "warehouse and a product."
    ),
}


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_every_corpus_prompt_compiles_into_a_project_that_passes_the_static_rules(
    case: Path, tmp_path: Path
) -> None:
    prompt = json.loads(case.read_text())["prompt"]
    draft = PromptToSpecAgent(None, RecordedWaits().pacing()).run(prompt)
    compiled = CodeGenerationAgent(RuffFormatter()).run(draft.canonical)
    FilesystemTreeWriter().write(compiled.tree, tmp_path / "project", None)
    report = architecture.check(tmp_path / "project", architecture_tools())
    assert not report.errors, [f.to_dict() for f in report.errors]


@pytest.mark.parametrize("name", sorted(PROMPTS))
def test_new_with_check_says_yes(name: str, tmp_path: Path, stack_venv: Path) -> None:
    """``stack_venv`` first, so the shared environment exists before the gates time out."""
    required = os.environ.get("DEEPRUN_REQUIRE_CONTAINER") == "1"
    allowed = [] if required and name == "inventory" else ["--allow-skip", "container"]
    output = tmp_path / name
    command = [*DEEPRUN, "new", PROMPTS[name], "-o", str(output), "--check", "--json"]
    result = subprocess.run(
        [*command, "--fuzz-examples", "10", *allowed],
        capture_output=True,
        cwd=ROOT,
        timeout=1800,
        check=False,
    )
    body = json.loads(result.stdout)
    readiness = body.get("readiness", {})
    assert readiness.get("verdict") == "YES", json.dumps(body, indent=1)[:6000]
    assert result.returncode == 0
    assert body["provider"] == "offline"
    assert (output / ".deeprun" / "spec.json").is_file()
