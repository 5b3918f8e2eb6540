"""The httpx probe against real servers: generated backends booted once each, and a tiny stdlib
server of our own that misbehaves on purpose so the flow's failures can be seen to fire."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import AnyUrl, BaseModel, ConfigDict, Field, ValidationError

from deeprun.adapters.http_probe import HttpxProbe, register_body
from deeprun.adapters.loopback import free_port
from deeprun.ports.gates import HttpProbe
from tests.generated.harness import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    Project,
    compile_example,
    serving,
)

PROBE: HttpProbe = HttpxProbe(timeout=30)


@pytest.fixture(scope="module")
def boot(
    tmp_path_factory: pytest.TempPathFactory, stack_venv: Path, new_database: Callable[[], str]
) -> Iterator[Callable[[str], str]]:
    """Boots an example on first use and keeps it up for the module: its base URL."""
    booted: dict[str, str] = {}
    with contextlib.ExitStack() as stack:

        def base(example: str) -> str:
            if example not in booted:
                output = compile_example(example, tmp_path_factory.mktemp("probe") / "project")
                project = Project(output, stack_venv)
                booted[example] = stack.enter_context(serving(project, new_database()))
            return booted[example]

        yield base


def _passed(evidence: dict[str, object], registered_by: str) -> None:
    email = str(evidence.pop("email"))
    assert email.startswith("gate-probe-")
    assert email.endswith("@example.com")
    assert evidence == {
        "openapi": 200,
        "admin_login": 200,
        "registered_by": registered_by,
        "register": 201,
        "login": 200,
        "authorized": 200,
        "unauthorized": 401,
    }


def test_wait_healthy_is_true_on_a_booted_server(boot: Callable[[str], str]) -> None:
    assert PROBE.wait_healthy(boot("blog-1.1.json"), 5, lambda: True)


def test_wait_healthy_gives_up_when_the_budget_ends() -> None:
    started = time.monotonic()
    assert not PROBE.wait_healthy(f"http://localhost:{free_port()}", 1.0, lambda: True)
    assert 1.0 <= time.monotonic() - started < 3


def test_wait_healthy_stops_as_soon_as_the_process_is_gone() -> None:
    calls: list[None] = []

    def alive() -> bool:
        calls.append(None)
        return len(calls) < 3

    started = time.monotonic()
    assert not PROBE.wait_healthy(f"http://[::1]:{free_port()}", 60, alive)
    assert time.monotonic() - started < 2
    assert len(calls) == 3


def test_the_flow_passes_when_only_the_admin_registers(boot: Callable[[str], str]) -> None:
    probe = PROBE.auth_flow(boot("clinic-1.1.json"), ADMIN_EMAIL, ADMIN_PASSWORD)
    assert probe.failures == ()
    _passed(dict(probe.evidence), registered_by="admin")


@pytest.mark.parametrize("example", ["blog-1.1.json", "tracker-1.1.json"])
def test_the_flow_passes_with_open_registration(boot: Callable[[str], str], example: str) -> None:
    """tracker's accounts also require a display name, found in the published schema."""
    base = boot(example)
    first = PROBE.auth_flow(base, ADMIN_EMAIL, ADMIN_PASSWORD)
    again = PROBE.auth_flow(base, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert first.failures == again.failures == ()
    assert first.evidence["email"] != again.evidence["email"]
    _passed(dict(first.evidence), registered_by="self")


def test_admin_headers_log_in_the_first_admin(boot: Callable[[str], str]) -> None:
    base = boot("clinic-1.1.json")
    headers = PROBE.admin_headers(base, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert list(headers) == ["Authorization"]
    assert headers["Authorization"].startswith("Bearer ")
    assert PROBE.admin_headers(base, ADMIN_EMAIL, "not-the-password") == {}


def test_a_project_without_auth_is_reported_as_such(boot: Callable[[str], str]) -> None:
    probe = PROBE.auth_flow(boot("todo-noauth-1.0.json"), ADMIN_EMAIL, ADMIN_PASSWORD)
    assert probe.failures == ()
    assert probe.evidence == {"auth": "disabled"}


class Tier(StrEnum):
    GOLD = "gold"
    SILVER = "silver"


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    city: str = Field(min_length=12, max_length=14)
    zip_code: str = Field(pattern=r"^\d{5}$")


class Signup(BaseModel):
    """A register body with every awkward kind of required field the builder must satisfy."""

    model_config = ConfigDict(extra="forbid")

    email: str
    password: str = Field(min_length=30, max_length=40)
    handle: str = Field(pattern=r"^[a-z]{3}_\d{2}$", min_length=6)
    seats: int = Field(gt=0, le=9)
    fours: int = Field(ge=5, multiple_of=4)
    below_zero: int = Field(lt=0)
    ratio: float = Field(gt=0.5, lt=0.75)
    price: Decimal = Field(ge=Decimal("2.5"))
    tier: Tier
    kind: Literal["person"]
    born: dt.date
    seen_at: dt.datetime
    key: uuid.UUID
    site: AnyUrl
    address: Address
    tags: list[str] = Field(min_length=2)
    nickname: str | None
    active: bool
    ignored: int | None = None


def _document(model: type[BaseModel]) -> dict[str, Any]:
    """An OpenAPI document whose POST /auth/register takes ``model`` by reference."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components = {**schema.pop("$defs", {}), model.__name__: schema}
    body = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {
        "openapi": "3.1.0",
        "paths": {
            "/auth/login": {"post": {}},
            "/auth/register": {
                "post": {"requestBody": {"content": {"application/json": {"schema": body}}}}
            },
        },
        "components": {"schemas": components},
    }


def test_the_register_body_satisfies_every_kind_of_required_field() -> None:
    body = register_body(_document(Signup), "someone@example.com")
    signup = Signup.model_validate(body)
    assert signup.email == "someone@example.com"
    assert len(signup.password) == 30
    assert "ignored" not in body
    assert register_body(_document(Signup), "someone@example.com") == body  # deterministic


def test_all_of_parts_are_merged() -> None:
    document = _document(Signup)
    document["components"]["schemas"]["Base"] = {
        "type": "object",
        "properties": {"email": {"type": "string"}},
        "required": ["email"],
    }
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"properties": {"age": {"type": ["integer", "null"], "minimum": 18}}},
            {"required": ["age"]},
        ]
    }
    register = document["paths"]["/auth/register"]["post"]
    register["requestBody"]["content"]["application/json"]["schema"] = schema
    body = register_body(document, "someone@example.com")
    assert body == {
        "email": "someone@example.com",
        "age": 18,
        "password": "gate-probe-password-0001",
    }


class _Fake(BaseHTTPRequestHandler):
    """An auth API over ``Signup`` with two switchable faults: the status register answers once
    the body is valid, and the status of GET /auth/me without a token."""

    register_status = 201
    anonymous_me_status = 401
    accounts: dict[str, str]

    def do_GET(self) -> None:
        if self.path == "/openapi.json":
            self._answer(200, _document(Signup))
        elif self.path == "/auth/me":
            self._me()
        else:
            self._answer(404, {"detail": "not found"})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/auth/login":
            known = self.accounts.get(body["email"]) == body["password"]
            token = {"access_token": f"token-{body['email']}"}
            self._answer(200, token) if known else self._answer(401, {"detail": "bad login"})
        elif self.path == "/auth/register":
            self._register(body)

    def _register(self, body: dict[str, Any]) -> None:
        try:
            Signup.model_validate(body)
        except ValidationError as error:
            self._answer(422, {"detail": str(error)})
            return
        if self.register_status == 201:
            self.accounts[body["email"]] = body["password"]
        self._answer(self.register_status, {"detail": "registered"})

    def _me(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("Bearer token-")
        if token in self.accounts:
            self._answer(200, {"email": token})
        else:
            self._answer(self.anonymous_me_status, {"email": "nobody@example.com"})

    def _answer(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the probe's evidence, not an access log."""


@contextlib.contextmanager
def _fake(**faults: int) -> Iterator[str]:
    handler = type("Handler", (_Fake,), {**faults, "accounts": {ADMIN_EMAIL: ADMIN_PASSWORD}})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_fake_server_passes_when_it_behaves() -> None:
    with _fake() as base:
        probe = PROBE.auth_flow(base, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert probe.failures == ()
    _passed(dict(probe.evidence), registered_by="self")


def test_a_me_without_a_token_that_answers_200_fails_unauthorized() -> None:
    with _fake(anonymous_me_status=200) as base:
        probe = PROBE.auth_flow(base, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert [(f.code, f.tool_code) for f in probe.failures] == [("boot", "unauthorized")]
    assert "GET /auth/me answered 200, expected 401" in probe.failures[0].message
    assert probe.evidence["unauthorized"] == 200


def test_a_register_that_answers_500_fails_register_and_skips_the_login() -> None:
    with _fake(register_status=500) as base:
        probe = PROBE.auth_flow(base, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert [(f.code, f.tool_code) for f in probe.failures] == [("boot", "register")]
    assert probe.failures[0].message.endswith(
        'answered 500, expected 201: {"detail": "registered"}'
    )
    assert "login" not in probe.evidence
    assert probe.evidence["unauthorized"] == 401


def test_a_server_that_is_not_there_is_a_failure_not_an_exception() -> None:
    probe = PROBE.auth_flow(f"http://127.0.0.1:{free_port()}", ADMIN_EMAIL, ADMIN_PASSWORD)
    assert [f.tool_code for f in probe.failures] == ["openapi"]
    assert "ConnectError" in probe.failures[0].message
    assert PROBE.admin_headers(f"http://127.0.0.1:{free_port()}", ADMIN_EMAIL, "x") == {}


@pytest.mark.parametrize(
    "base_url",
    ["http://example.com", "http://10.0.0.1:8000", "http://127.0.0.2", "ftp://127.0.0.1", "::"],
)
def test_only_loopback_is_probed(base_url: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        PROBE.wait_healthy(base_url, 1, lambda: True)
    with pytest.raises(ValueError, match="loopback"):
        PROBE.auth_flow(base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    with pytest.raises(ValueError, match="loopback"):
        PROBE.admin_headers(base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
