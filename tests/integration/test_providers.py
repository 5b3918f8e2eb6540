"""The three LLM adapters, through the real SDKs, against fake vendor servers on loopback.

Every request is real HTTP, so these tests see what each SDK puts on the wire and how it reads
each vendor's real answers and errors; nothing is patched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from typing import Any

import pytest

from deeprun.adapters.loopback import free_port
from deeprun.adapters.providers import LOCAL_SERVER_KEY, open_model
from deeprun.contracts.errors import ProviderConfigError, ProviderError
from deeprun.contracts.planning import Message, ModelReply, ModelRequest
from deeprun.ports.language_model import LanguageModel
from tests.vendors import SCHEMA_NAME, VendorApi, anthropic_api, gemini_api, openai_api
from tests.vendors.server import Recorded, Reply, VendorServer

KEY = "sk-test-4f7d2c91b0e6a835"  # distinctive, so a leak into a message is easy to spot
TIMEOUT = 5.0
SCHEMA = {
    "type": "object",
    "properties": {"entities": {"type": "array", "items": {"type": "string"}}},
    "required": ["entities"],
}
ANSWER = '{"entities": ["Book", "Author"]}'
SYSTEM = "You turn a product idea into a backend spec."
TURNS = ("A library that lends books", "Which fields does a book have?", "A title and an author")
VENDORS: list[VendorApi] = [openai_api, anthropic_api, gemini_api]
EACH_VENDOR = pytest.mark.parametrize("api", VENDORS, ids=lambda api: api.PROVIDER)


def ask(
    *, temperature: float | None = 0.0, schema: Mapping[str, Any] | None = SCHEMA
) -> ModelRequest:
    user, assistant, again = TURNS
    return ModelRequest(
        system=SYSTEM,
        messages=(Message("user", user), Message("assistant", assistant), Message("user", again)),
        answer_schema=schema,
        schema_name=SCHEMA_NAME,
        temperature=temperature,
        max_output_tokens=2048,
    )


def opened(api: VendorApi, url: str, *, timeout: float = TIMEOUT) -> LanguageModel:
    return open_model(api.PROVIDER, api.MODEL, api.environ(url, KEY), timeout=timeout)


def exchange(api: VendorApi, reply: Reply, request: ModelRequest) -> tuple[ModelReply, Recorded]:
    """The model's answer to ``request`` and the one request the server saw."""
    with VendorServer([reply]) as server:
        answer = opened(api, server.url).complete(request)
    (sent,) = server.requests
    return answer, sent


def failure(api: VendorApi, reply: Reply, *, timeout: float = TIMEOUT) -> ProviderError:
    """The error ``reply`` becomes; the SDK must not have retried on its own."""
    with VendorServer([reply]) as server, pytest.raises(ProviderError) as caught:
        opened(api, server.url, timeout=timeout).complete(ask())
    assert len(server.requests) == 1, server.requests
    return caught.value


@EACH_VENDOR
def test_a_structured_answer_comes_back_as_its_json_text(api: VendorApi) -> None:
    answer, _ = exchange(api, api.answer(ANSWER), ask())
    assert json.loads(answer.text) == json.loads(ANSWER)
    assert answer.model == api.REPORTED_MODEL
    assert (answer.input_tokens, answer.output_tokens) == api.USAGE


@EACH_VENDOR
def test_the_request_carries_the_model_system_turns_schema_and_limits(api: VendorApi) -> None:
    _, sent = exchange(api, api.answer(ANSWER), ask(temperature=0.0))
    assert (sent.method, sent.path) == ("POST", api.path(api.MODEL))
    assert api.model(sent) == api.MODEL
    assert api.system(sent) == SYSTEM
    assert api.turns(sent) == [("user", TURNS[0]), (api.ASSISTANT, TURNS[1]), ("user", TURNS[2])]
    assert api.schema(sent) == SCHEMA
    assert api.sampling(sent)["temperature"] == 0.0
    assert api.sampling(sent)[api.MAX_TOKENS] == 2048


@EACH_VENDOR
def test_no_temperature_is_sent_when_the_model_takes_none(api: VendorApi) -> None:
    _, sent = exchange(api, api.answer(ANSWER), ask(temperature=None))
    assert "temperature" not in api.sampling(sent)
    assert api.sampling(sent)[api.MAX_TOKENS] == 2048


@EACH_VENDOR
def test_without_a_schema_plain_text_is_asked_for_and_returned(api: VendorApi) -> None:
    answer, sent = exchange(api, api.plain("Books have ", "titles."), ask(schema=None))
    assert answer.text == "Books have titles."
    assert not api.structured(sent)


@EACH_VENDOR
def test_the_key_travels_in_the_vendors_header(api: VendorApi) -> None:
    _, sent = exchange(api, api.answer(ANSWER), ask())
    assert api.key(sent) == KEY


@pytest.mark.parametrize(
    ("api", "status"),
    [(api, status) for api in VENDORS for status in (408, 409, 500, 503)] + [(anthropic_api, 529)],
    ids=lambda value: getattr(value, "PROVIDER", str(value)),
)
def test_a_transient_failure_is_retryable_and_sent_once(api: VendorApi, status: int) -> None:
    error = failure(api, api.failure(status, "Try again later."))
    assert error.retryable
    assert error.retry_after is None
    assert f"{api.PROVIDER} answered HTTP {status}: Try again later." in error.message


@EACH_VENDOR
def test_a_rate_limit_is_retryable_after_the_vendors_delay(api: VendorApi) -> None:
    error = failure(api, api.failure(429, "Rate limit reached.", {"Retry-After": "2"}))
    assert (error.retryable, error.retry_after) == (True, 2.0)
    assert "HTTP 429: Rate limit reached." in error.message


def test_gemini_takes_the_delay_from_a_rate_limits_retry_info() -> None:
    error = failure(gemini_api, gemini_api.failure(429, "Quota exceeded.", retry_delay="7.5s"))
    assert (error.retryable, error.retry_after) == (True, 7.5)


@pytest.mark.parametrize(
    ("api", "status"),
    [(api, status) for api in VENDORS for status in (400, 401, 404)],
    ids=lambda value: getattr(value, "PROVIDER", str(value)),
)
def test_a_client_error_is_final_and_never_shows_the_key(api: VendorApi, status: int) -> None:
    echo = f"Incorrect API key provided: {KEY}."
    error = failure(api, api.failure(status, echo, {"Retry-After": "2"}))
    assert not error.retryable
    assert error.retry_after is None
    assert f"{api.PROVIDER} answered HTTP {status}: Incorrect API key provided" in error.message
    assert KEY not in error.message
    assert KEY not in str(error)


@EACH_VENDOR
def test_a_refused_connection_is_retryable(api: VendorApi) -> None:
    model = opened(api, f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ProviderError, match="could not be reached") as caught:
        model.complete(ask())
    assert caught.value.retryable


@EACH_VENDOR
def test_a_timeout_is_retryable(api: VendorApi) -> None:
    slow = Reply(200, api.answer(ANSWER).body, delay=5.0)
    error = failure(api, slow, timeout=0.3)
    assert error.retryable
    assert "timed out" in error.message


@pytest.mark.parametrize(
    ("api", "reply"),
    [
        pytest.param(api, reply, id=f"{api.PROVIDER}-{why}")
        for api in VENDORS
        for why, reply in api.unusable().items()
    ],
)
def test_an_unusable_answer_is_a_final_provider_error(api: VendorApi, reply: Reply) -> None:
    error = failure(api, reply)
    assert not error.retryable
    assert f"{api.PROVIDER} gave no usable answer" in error.message


def test_an_unknown_provider_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ProviderConfigError, match="openai, anthropic, gemini"):
        open_model("mistral", None, {})


@pytest.mark.parametrize(
    ("provider", "variables"),
    [
        ("openai", "OPENAI_API_KEY"),
        ("anthropic", "ANTHROPIC_API_KEY"),
        ("gemini", "GEMINI_API_KEY or GOOGLE_API_KEY"),
    ],
)
def test_a_missing_key_is_refused_naming_its_variable(provider: str, variables: str) -> None:
    with pytest.raises(ProviderConfigError, match=f"^{variables}") as caught:
        open_model(provider, None, {"UNRELATED_API_KEY": KEY})
    assert caught.value.code == "ERR_PROVIDER_CONFIG"


def test_an_openai_compatible_server_needs_no_key() -> None:
    with VendorServer([openai_api.answer(ANSWER)]) as server:
        model = open_model("openai", "llama3.2", {"OPENAI_BASE_URL": f"{server.url}/v1"})
        answer = model.complete(ask())
    assert answer.text == ANSWER
    (sent,) = server.requests
    assert openai_api.key(sent) == LOCAL_SERVER_KEY
    assert openai_api.model(sent) == "llama3.2"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"GOOGLE_API_KEY": "google-key"}, "google-key"),
        ({"GEMINI_API_KEY": "gemini-key", "GOOGLE_API_KEY": "google-key"}, "gemini-key"),
    ],
)
def test_gemini_prefers_its_own_key_and_falls_back_on_googles(
    environ: dict[str, str], expected: str
) -> None:
    with VendorServer([gemini_api.answer(ANSWER)]) as server:
        settings = {**environ, "GOOGLE_GEMINI_BASE_URL": server.url}
        open_model("gemini", None, settings, timeout=TIMEOUT).complete(ask())
    (sent,) = server.requests
    assert gemini_api.key(sent) == expected


@pytest.mark.parametrize(
    "api", [openai_api, anthropic_api, gemini_api], ids=lambda api: api.PROVIDER
)
def test_the_default_model_is_used_when_none_is_named(api: VendorApi) -> None:
    with VendorServer([api.answer(ANSWER)]) as server:
        model = open_model(api.PROVIDER, None, api.environ(server.url, KEY), timeout=TIMEOUT)
        model.complete(ask())
    assert model.model == api.DEFAULT_MODEL
    assert (model.provider, api.model(server.requests[0])) == (api.PROVIDER, api.DEFAULT_MODEL)


def run_python(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter, so what it does to its modules stays there."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("provider", "sdk"),
    [("openai", "openai"), ("anthropic", "anthropic"), ("gemini", "google.genai")],
)
def test_a_missing_sdk_is_refused_naming_the_extra(provider: str, sdk: str) -> None:
    code = f"""
        import sys
        sys.modules[{sdk!r}] = None  # what Python records for a module it cannot import
        from deeprun.adapters.providers import open_model
        from deeprun.contracts.errors import ProviderConfigError
        keys = {{"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k", "GEMINI_API_KEY": "k"}}
        try:
            open_model({provider!r}, None, keys)
        except ProviderConfigError as error:
            print(error.code, error.message)
    """
    result = run_python(code, env=dict(os.environ))
    assert result.stdout.strip() == (
        f"ERR_PROVIDER_CONFIG the {provider} SDK is not installed: install deeprun[{provider}]"
    ), result.stderr


def test_the_process_environment_never_reaches_the_sdks() -> None:
    """Vendor variables in the process point at a dead port with the wrong keys; the mapping
    passed to open_model is all that counts."""
    dead = f"http://127.0.0.1:{free_port()}"
    misleading = {
        "OPENAI_API_KEY": "sk-from-the-process",
        "OPENAI_BASE_URL": f"{dead}/v1",
        "ANTHROPIC_API_KEY": "sk-ant-from-the-process",
        "ANTHROPIC_BASE_URL": dead,
        "GOOGLE_API_KEY": "google-from-the-process",
        "GOOGLE_GEMINI_BASE_URL": dead,
        "GOOGLE_GENAI_USE_VERTEXAI": "true",
        "GOOGLE_GENAI_HTTP_CLIENT": "httpx2",
    }
    servers = [VendorServer([api.answer(ANSWER)]) for api in VENDORS]
    code = """
        import json, sys
        from deeprun.adapters.providers import open_model
        from deeprun.contracts.planning import Message, ModelRequest
        from deeprun.logic.planning.prompt import SCHEMA_NAME
        schema = {"type": "object"}
        request = ModelRequest("s", (Message("user", "u"),), schema, SCHEMA_NAME, None, 64)
        for provider, model, environ in json.loads(sys.argv[1]):
            print(open_model(provider, model, environ, timeout=5).complete(request).text)
    """
    with servers[0], servers[1], servers[2]:
        plan = [
            (api.PROVIDER, api.MODEL, api.environ(server.url, KEY))
            for api, server in zip(VENDORS, servers, strict=True)
        ]
        result = run_python(code, json.dumps(plan), env={**os.environ, **misleading})
    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == [json.loads(ANSWER)] * 3
    for api, server in zip(VENDORS, servers, strict=True):
        (sent,) = server.requests
        assert api.key(sent) == KEY
