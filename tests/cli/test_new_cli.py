"""`deeprun new`, `spec from-prompt` and `bench planner` as users run them: a real subprocess,
and for the vendors a fake server on loopback that speaks each one's HTTP API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from deeprun.logic.planning.prompt import RULES
from deeprun.logic.spec_schema import spec_json_schema
from tests.cli.test_cli import envelope
from tests.specs import ROOT, base_11
from tests.vendors import VendorApi, anthropic_api, gemini_api, openai_api
from tests.vendors.server import VendorServer

KEY = "sk-cli-test-0d9e7f3a"
VALID = json.dumps(base_11())
PROMPT = "Notes in folders; users keep their own notes."
OFFLINE_PROMPT = (
    "A recipe API. Users sign up and manage their own recipes (title, instructions, "
    "prep minutes, published flag). Each recipe belongs to a cuisine (name). "
    "Recipes can have many tags (label). Search recipes by title. Make it blazing fast."
)
EACH_VENDOR = pytest.mark.parametrize(
    "api", [openai_api, anthropic_api, gemini_api], ids=lambda api: api.PROVIDER
)
_VENDOR_VARIABLES = (
    "DEEPRUN_PROVIDER",
    "DEEPRUN_MODEL",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GOOGLE_GEMINI_BASE_URL",
    "DEEPRUN_LOG_LEVEL",
)


def deeprun(*args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> Any:
    """The command with no vendor configured on the host, plus ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in _VENDOR_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "deeprun", *args],
        input=stdin,
        capture_output=True,
        env={**base, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})},
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def vendor_env(api: VendorApi, server: VendorServer) -> dict[str, str]:
    return {"DEEPRUN_PROVIDER": api.PROVIDER, **api.environ(server.url, KEY)}


@EACH_VENDOR
def test_a_valid_answer_becomes_the_spec_and_the_request_carries_the_contract(
    api: VendorApi,
) -> None:
    with VendorServer([api.answer(VALID)]) as server:
        result = deeprun("spec", "from-prompt", PROMPT, "--json", env=vendor_env(api, server))
    body = envelope(result)
    assert result.returncode == 0, body
    assert (body["provider"], body["model"]) == (api.PROVIDER, api.DEFAULT_MODEL)
    assert [e["name"] for e in body["spec"]["entities"]] == ["Folder", "Note"]
    (request,) = server.requests
    assert api.schema(request) == spec_json_schema("1.1")
    assert RULES in api.system(request)
    assert PROMPT in api.turns(request)[0][1]
    temperature = api.sampling(request).get("temperature")
    assert temperature is None if api is anthropic_api else temperature == 0.0
    assert KEY not in result.stdout.decode() + result.stderr.decode()


@EACH_VENDOR
def test_a_transport_failure_is_retried(api: VendorApi) -> None:
    status = 529 if api is anthropic_api else 503
    script = [api.failure(status, "overloaded"), api.answer(VALID)]
    with VendorServer(script) as server:
        result = deeprun("spec", "from-prompt", PROMPT, "--json", env=vendor_env(api, server))
    assert envelope(result)["status"] == "success"
    assert len(server.requests) == 2
    retries = [json.loads(line) for line in result.stderr.decode().splitlines()]
    assert [r["failures"] for r in retries if r["event"] == "provider.retry"] == [1]


@EACH_VENDOR
def test_invalid_json_then_a_valid_answer_succeeds(api: VendorApi) -> None:
    with VendorServer([api.plain("Here you go: {entities"), api.answer(VALID)]) as server:
        result = deeprun("spec", "from-prompt", PROMPT, "--json", env=vendor_env(api, server))
    body = envelope(result)
    assert body["status"] == "success"
    assert [len(a["problems"]) > 0 for a in body["attempts"]] == [True, False]
    correction = api.turns(server.requests[1])[-1][1]
    assert "not JSON" in correction


@EACH_VENDOR
def test_three_schema_invalid_answers_give_spec_generation_error(api: VendorApi) -> None:
    broken = base_11()
    del broken["entities"]
    with VendorServer([api.answer(json.dumps(broken))] * 4) as server:
        result = deeprun("spec", "from-prompt", PROMPT, "--json", env=vendor_env(api, server))
    body = envelope(result)
    assert result.returncode == 1
    assert body["error"]["code"] == "ERR_SPEC_GENERATION"
    assert [a["attempt"] for a in body["attempts"]] == [1, 2, 3]
    assert len(server.requests) == 3


def test_transport_retries_stop_after_four_calls() -> None:
    with VendorServer([openai_api.failure(503, "down")] * 6) as server:
        result = deeprun(
            "spec", "from-prompt", PROMPT, "--json", env=vendor_env(openai_api, server)
        )
    assert envelope(result)["error"]["code"] == "ERR_PROVIDER"
    assert len(server.requests) == 4


def test_flags_choose_the_provider_and_the_model() -> None:
    with VendorServer([openai_api.answer(VALID)]) as server:
        env = openai_api.environ(server.url, KEY)
        result = deeprun(
            "spec",
            "from-prompt",
            PROMPT,
            "--provider",
            "openai",
            "--model",
            "gpt-5-mini",
            "--json",
            env=env,
        )
    assert envelope(result)["model"] == "gpt-5-mini"
    (request,) = server.requests
    assert openai_api.model(request) == "gpt-5-mini"
    assert "temperature" not in openai_api.sampling(request)  # a reasoning model takes none


def test_a_broken_base_url_is_a_config_error_that_never_shows_the_key() -> None:
    env = {"DEEPRUN_PROVIDER": "openai", "OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://[::1"}
    result = deeprun("spec", "from-prompt", PROMPT, "--json", env=env)
    assert envelope(result)["error"]["code"] == "ERR_PROVIDER_CONFIG"
    assert KEY not in result.stdout.decode() + result.stderr.decode()


def test_a_model_without_a_provider_is_refused() -> None:
    body = envelope(deeprun("spec", "from-prompt", PROMPT, "--model", "gpt-4o", "--json"))
    assert body["error"]["code"] == "ERR_PROVIDER_CONFIG"


def test_control_characters_in_a_prompt_are_refused() -> None:
    body = envelope(deeprun("spec", "from-prompt", "-", "--json", stdin=b"Posts\x00 (title)"))
    assert body["error"]["code"] == "ERR_INPUTS"


def test_a_usage_error_names_the_command_not_the_prompt() -> None:
    result = deeprun("new", "A blog with posts", "--json")
    body = envelope(result)
    assert (body["command"], body["error"]["code"]) == ("new", "ERR_INPUTS")
    assert result.returncode == 2


def test_a_permanent_vendor_error_is_not_retried() -> None:
    with VendorServer([openai_api.failure(401, "bad key")] * 2) as server:
        result = deeprun(
            "spec", "from-prompt", PROMPT, "--json", env=vendor_env(openai_api, server)
        )
    assert envelope(result)["error"]["code"] == "ERR_PROVIDER"
    assert len(server.requests) == 1


def test_new_with_a_provider_compiles_the_answer(tmp_path: Path) -> None:
    with VendorServer([gemini_api.answer(VALID)]) as server:
        result = deeprun(
            "new", PROMPT, "-o", str(tmp_path / "out"), "--json", env=vendor_env(gemini_api, server)
        )
    body = envelope(result)
    assert body["status"] == "success", body
    assert body["provider"] == "gemini"
    assert (tmp_path / "out" / "app" / "modules" / "note").is_dir()
    assert json.loads((tmp_path / "out" / ".deeprun" / "spec.json").read_text()) == body["spec"]


@pytest.mark.parametrize(
    ("env", "code"),
    [
        ({"DEEPRUN_PROVIDER": "mistral"}, "ERR_PROVIDER_CONFIG"),
        ({"DEEPRUN_PROVIDER": "anthropic"}, "ERR_PROVIDER_CONFIG"),
    ],
)
def test_an_unusable_provider_is_a_config_error(env: dict[str, str], code: str) -> None:
    body = envelope(deeprun("spec", "from-prompt", PROMPT, "--json", env=env))
    assert body["error"]["code"] == code


def test_offline_by_default_with_the_ignored_phrases() -> None:
    body = envelope(deeprun("spec", "from-prompt", OFFLINE_PROMPT, "--json"))
    assert body["status"] == "success", body
    assert body["provider"] == "offline"
    assert "Make it blazing fast." in body["ignored"]
    named = envelope(
        deeprun(
            "spec", "from-prompt", OFFLINE_PROMPT, "--json", env={"DEEPRUN_PROVIDER": "offline"}
        )
    )
    assert named["spec"] == body["spec"]


def test_from_prompt_prints_the_spec_and_reads_standard_input() -> None:
    result = deeprun("spec", "from-prompt", "-", stdin=OFFLINE_PROMPT.encode())
    assert result.returncode == 0, result.stderr
    spec = json.loads(result.stdout)
    assert spec["spec_version"] == "1.1"
    assert "ignored" in result.stderr.decode()


@pytest.mark.parametrize("prompt", ["", "   "])
def test_an_empty_prompt_is_an_input_error(prompt: str) -> None:
    assert envelope(deeprun("spec", "from-prompt", prompt, "--json"))["error"]["code"] == (
        "ERR_INPUTS"
    )


def test_a_prompt_with_nothing_to_store_says_what_was_ignored() -> None:
    body = envelope(deeprun("spec", "from-prompt", "Make it fast and secure.", "--json"))
    assert body["error"]["code"] == "ERR_SPEC_GENERATION"
    assert body["ignored"] == ["Make it fast and secure."]
    shown = deeprun("spec", "from-prompt", "Make it fast and secure.")
    assert "ignored: Make it fast and secure." in shown.stderr.decode()


def test_new_offline_is_deterministic(tmp_path: Path) -> None:
    first = envelope(deeprun("new", OFFLINE_PROMPT, "-o", str(tmp_path / "a"), "--json"))
    second = envelope(
        deeprun("new", "-", "-o", str(tmp_path / "b"), "--json", stdin=OFFLINE_PROMPT.encode())
    )
    assert first["status"] == "success", first
    assert first["tree_hash"] == second["tree_hash"]
    assert first["files_written"] > 20


# Floors a little under the figures measured when they were set; a regression trips them.
FLOORS = {"entities": (0.85, 0.75), "fields": (0.72, 0.78), "types": (0.9, 0.9)}
RELATION_FLOORS = (0.5, 0.7)


def test_bench_planner_scores_the_corpus_above_its_floors() -> None:
    body = envelope(deeprun("bench", "planner", "--json"))
    assert body["status"] == "success"
    assert body["count"] >= 40
    assert body["passed_review"] == body["count"]
    totals = body["totals"]
    for name, (recall, precision) in {**FLOORS, "relations": RELATION_FLOORS}.items():
        assert totals[name]["recall"] >= recall, (name, totals[name])
        assert totals[name]["precision"] >= precision, (name, totals[name])


def test_bench_planner_refuses_a_malformed_case(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"prompt": "x"}')
    body = envelope(deeprun("bench", "planner", "--corpus", str(tmp_path), "--json"))
    assert body["error"]["code"] == "ERR_INPUTS"
    assert "bad" in body["error"]["message"]
