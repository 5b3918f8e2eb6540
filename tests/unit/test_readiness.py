"""The readiness verdict over fake ports: order, skips, prerequisites, fail fast, cleanup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deeprun.adapters.ruff_formatter import RuffFormatter
from deeprun.contracts.errors import GateError
from deeprun.contracts.gates import GATES, Failure, GateStatus, Readiness
from deeprun.services.compiling import build
from deeprun.services.gate_steps import Policy, Tools
from deeprun.services.readiness import check_ready
from tests.doubles.gates import (
    FakeFuzzer,
    FakeInstaller,
    FakeProbe,
    MemoryDatabases,
    MemoryProject,
    NoContainers,
    NoImports,
    NoLint,
    ScriptedSandbox,
    ok,
    ticking_clock,
)
from tests.specs import EXAMPLES


@pytest.fixture(scope="module")
def shop_files() -> dict[str, str]:
    tree = build((EXAMPLES / "shop-1.0.json").read_bytes(), RuffFormatter()).tree
    return {path: data.decode() for path, data in tree.items()}


def tools(files: dict[str, str], **replaced: Any) -> Tools:
    parts: dict[str, Any] = {
        "files": MemoryProject(dict(files)),
        "graph": NoImports(),
        "linter": NoLint(),
        "sandbox": ScriptedSandbox(),
        "installer": FakeInstaller(),
        "databases": MemoryDatabases(),
        "probe": FakeProbe(),
        "fuzzer": FakeFuzzer(),
        "containers": NoContainers(),
        "free_port": lambda: 8123,
        "clock": ticking_clock(),
    }
    return Tools(**{**parts, **replaced})


def ready(tmp_path: Path, kit: Tools, **policy: Any) -> Readiness:
    seen: list[str] = []
    verdict = check_ready(Path("/project"), tmp_path, kit, Policy(**policy), seen.append)
    assert seen == list(GATES)
    return verdict


def statuses(verdict: Readiness) -> dict[str, str]:
    return {g.gate: g.status.value for g in verdict.gates}


def test_every_gate_passing_but_a_skipped_container_is_no(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    verdict = ready(tmp_path, tools(shop_files))
    assert statuses(verdict) == {**dict.fromkeys(GATES[:-1], "passed"), "container": "skipped"}
    assert not verdict.ready
    assert verdict.failures() == [
        {
            "gate": "container",
            **Failure("container", "no container engine: podman is not installed").to_dict(),
        }
    ]


def test_a_skip_allowed_by_name_is_yes_and_each_gate_is_timed(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    verdict = ready(tmp_path, tools(shop_files), allowed_skips=frozenset({"container"}))
    assert verdict.ready
    assert all(g.seconds >= 1.0 for g in verdict.gates if g.status is GateStatus.PASSED)
    assert json.loads(json.dumps(verdict.to_dict()))["verdict"] == "YES"


def test_databases_and_servers_are_released_whatever_happened(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    kit = tools(
        shop_files, probe=FakeProbe(flow=(Failure("boot", "no 401", tool_code="unauthorized"),))
    )
    verdict = ready(tmp_path, kit)
    assert statuses(verdict)["boot"] == "failed"
    assert statuses(verdict)["fuzz"] == "passed"  # the server booted: the flow failing is not fatal
    assert (
        isinstance(kit.databases, MemoryDatabases) and kit.databases.made == 2
    )  # migrations (then boot), tests
    assert kit.databases.live == set()
    assert isinstance(kit.sandbox, ScriptedSandbox)
    assert [s.alive for s in kit.sandbox.started] == [False]


def test_an_install_failure_leaves_its_dependents_not_run(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    verdict = ready(tmp_path, tools(shop_files, installer=FakeInstaller(venv=None)))
    assert statuses(verdict)["install"] == "failed"
    assert {statuses(verdict)[g] for g in GATES[2:]} == {"not_run"}
    assert [f["code"] for f in verdict.failures()] == ["install"]


def test_fail_fast_stops_after_the_first_failure(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    finding = (
        '[{"code": "F401", "message": "unused", "filename": "/x/app/a.py", "location": {"row": 2}}]'
    )
    sandbox = ScriptedSandbox(
        {"ruff": lambda argv: ok(argv, finding, exit_code=1) if argv[1] == "check" else ok(argv)}
    )
    verdict = ready(tmp_path, tools(shop_files, sandbox=sandbox), fail_fast=True)
    assert statuses(verdict)["ruff"] == "failed"
    assert {statuses(verdict)[g] for g in GATES[3:]} == {"not_run"}
    assert [(f["code"], f["tool_code"]) for f in verdict.failures()] == [("ruff", "F401")]


def test_without_fail_fast_independent_gates_still_run(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    sandbox = ScriptedSandbox({"mypy": lambda argv: ok(argv, "app/a.py:3: error: bad  [misc]", 1)})
    verdict = ready(
        tmp_path, tools(shop_files, sandbox=sandbox), allowed_skips=frozenset({"container"})
    )
    assert statuses(verdict)["mypy"] == "failed"
    assert statuses(verdict)["tests"] == "passed"
    assert [(f["file"], f["line"]) for f in verdict.failures()] == [("app/a.py", 3)]


def test_a_gate_whose_database_cannot_be_made_fails_with_the_reason(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    verdict = ready(tmp_path, tools(shop_files, databases=MemoryDatabases(fail=True)))
    for gate in ("migrations", "tests", "boot"):
        assert statuses(verdict)[gate] == "failed"
    assert statuses(verdict)["fuzz"] == "not_run"
    assert "no server" in str(verdict.failures()[0]["message"])


def test_a_server_error_found_by_the_fuzzer_is_a_typed_failure(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    kit = tools(shop_files, fuzzer=FakeFuzzer(server_errors=("POST /products -> 500 (1x)",)))
    verdict = ready(tmp_path, kit, allowed_skips=frozenset({"container"}))
    assert [(f["code"], f["tool_code"]) for f in verdict.failures()] == [("fuzz", "5xx")]


def test_an_app_that_accepts_a_weak_secret_fails_boot(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    sandbox = ScriptedSandbox({"python": ok})
    verdict = ready(
        tmp_path, tools(shop_files, sandbox=sandbox), allowed_skips=frozenset({"container"})
    )
    assert [(f["code"], f["tool_code"]) for f in verdict.failures()] == [("boot", "weak-secret")]


def test_a_broken_architecture_rule_fails_its_gate(
    tmp_path: Path, shop_files: dict[str, str]
) -> None:
    files = {**shop_files, "app/main.py": shop_files["app/main.py"] + '\nprint("hi")\n'}
    verdict = ready(tmp_path, tools(files), allowed_skips=frozenset({"container"}))
    assert [f["code"] for f in verdict.failures()] == ["CODE.PRINT"]


def test_an_allowed_skip_must_name_a_gate(tmp_path: Path, shop_files: dict[str, str]) -> None:
    with pytest.raises(GateError, match="names no gate: contianer"):
        ready(tmp_path, tools(shop_files), allowed_skips=frozenset({"contianer"}))
