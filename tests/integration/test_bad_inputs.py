"""The known-bad-inputs pass against a real server of our own: a stdlib HTTP server publishing a
hand-written OpenAPI document, with two endpoints that break the way naive FastAPI + PostgreSQL
code breaks (a NUL byte, a 64-bit overflow) and clean ones that validate every value."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from deeprun.adapters.bad_inputs import BadInputReport, send_bad_inputs
from deeprun.adapters.schemathesis_fuzzer import SchemathesisFuzzer

TOKEN = "bad-inputs-token"
Served = tuple[str, list[tuple[str, str, str]]]  # the base URL, the requests received
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
BIGINT = range(-(2**63), 2**63)
UUID = {"type": "string", "format": "uuid"}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _operation(**fields: Any) -> dict[str, Any]:
    return {**fields, "responses": {"200": {"description": "done"}}}


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "bad-inputs", "version": "1"},
    "paths": {
        "/notes": {"post": _operation(requestBody=_body({"$ref": "#/components/schemas/Note"}))},
        "/notes/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": UUID}],
            "get": _operation(),
            "put": _operation(requestBody=_body({"$ref": "#/components/schemas/Note"})),
        },
        "/counters": {
            "post": _operation(
                requestBody=_body(
                    {
                        "type": "object",
                        "properties": {"value": {"type": "integer"}},
                        "required": ["value"],
                    }
                )
            )
        },
        "/events": {
            "post": _operation(requestBody=_body({"$ref": "#/components/schemas/Event"})),
            "get": _operation(
                parameters=[
                    {
                        "name": "limit",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 50}},
                ]
            ),
        },
    },
    "components": {
        "schemas": {
            "Note": {
                "type": "object",
                "properties": {"title": {"type": "string", "maxLength": 200}},
                "required": ["title"],
            },
            "Event": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 100},
                    "at": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
                    "day": {"type": "string", "format": "date"},
                    "count": {"type": "integer", "minimum": 0, "maximum": 1000},
                    "ratio": {"type": "number"},
                },
                "required": ["name", "at"],
            },
        }
    },
}
HANG_UP = {
    "openapi": "3.1.0",
    "info": {"title": "hang-up", "version": "1"},
    "paths": {"/hang-up": {"post": _operation(requestBody=_body({"$ref": "#/$defs/Text"}))}},
    "$defs": {"Text": {"type": "object", "properties": {"text": {"type": "string"}}}},
}


class _InvalidError(Exception):
    """A request the clean validation refuses: 422."""


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or "\x00" in value or len(value) > limit:
        raise _InvalidError
    return value


def _integer(value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _InvalidError
    return value


def _event(body: dict[str, Any]) -> None:
    """Every field checked the way a careful app does: lengths, ranges, aware datetimes."""
    _text(body.get("name"), 100)
    try:
        at = body.get("at")
        if at is not None and dt.datetime.fromisoformat(_text(at, 40)).tzinfo is None:
            raise _InvalidError
        if "day" in body:
            dt.date.fromisoformat(_text(body["day"], 10))
    except ValueError as error:
        raise _InvalidError from error
    if "count" in body:
        _integer(body["count"], 0, 1000)
    ratio = body.get("ratio", 0)
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not math.isfinite(ratio):
        raise _InvalidError


class _App(BaseHTTPRequestHandler):
    """PUT /notes/{id} stores a title without a NUL check and POST /counters keeps integers
    beyond 64 bits: both answer 500, the way PostgreSQL makes a naive app answer."""

    document: dict[str, Any] = DOCUMENT
    notes: dict[str, str]
    log: list[tuple[str, str, str]]  # method, target, body

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the log kept is the list of requests."""

    def _handle(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        self.log.append((self.command, self.path, raw.decode()))
        url = urlsplit(self.path)
        if url.path == "/hang-up":
            return  # no answer: the connection closes
        answer: object
        if url.path == "/openapi.json":
            status, answer = 200, self.document
        elif self.headers.get("authorization") != f"Bearer {TOKEN}":
            status, answer = 401, {"detail": "no token"}
        else:
            try:
                status, answer = self._route(self.command, url.path.split("/")[1:], url.query, raw)
            except (_InvalidError, ValueError):
                status, answer = 422, {"detail": "invalid"}
        self._answer(status, answer)

    def __getattr__(self, name: str) -> Callable[[], None]:
        """``do_<METHOD>`` for any method Schemathesis tries: one not routed gets a 4xx, where
        http.server would answer 501."""
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _route(self, method: str, parts: list[str], query: str, raw: bytes) -> tuple[int, object]:
        if parts == ["events"] and method == "GET":
            fields = parse_qs(query, keep_blank_values=True)
            _integer(int(fields.get("limit", [""])[0]), 1, 100)
            _text(fields.get("q", [""])[0], 50)
            return 200, []
        body = json.loads(raw) if method != "GET" else {}
        if not isinstance(body, dict):
            raise _InvalidError
        if parts == ["events"] and method == "POST":
            _event(body)
            return 201, body
        if parts == ["counters"] and method == "POST":
            value = _integer(body.get("value"), -(10**100), 10**100)
            return (201, body) if value in BIGINT else (500, {"detail": "integer out of range"})
        if parts == ["notes"] and method == "POST":
            title = _text(body.get("title"), 200)
            note = str(uuid.uuid5(uuid.NAMESPACE_URL, title))
            self.notes[note] = title
            return 201, {"id": note, "title": title}
        if len(parts) == 2 and parts[0] == "notes":
            return self._note(method, unquote(parts[1]), body)
        return 405, {"detail": "no such operation"}

    def _note(self, method: str, note: str, body: dict[str, Any]) -> tuple[int, object]:
        uuid.UUID(note)
        if note not in self.notes:
            return 404, {"detail": "no such note"}
        if method == "PUT":
            if not isinstance(body.get("title"), str):
                raise _InvalidError
            if "\x00" in body["title"]:
                return 500, "Internal Server Error"
            self.notes[note] = body["title"]
        return 200, {"id": note, "title": self.notes[note]}

    def _answer(self, status: int, answer: object) -> None:
        text = answer if isinstance(answer, str) else json.dumps(answer)
        content = text.encode()
        self.send_response(status)
        self.send_header(
            "content-type", "text/plain" if isinstance(answer, str) else "application/json"
        )
        self.send_header("content-length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


@contextlib.contextmanager
def _serving(document: dict[str, Any]) -> Iterator[Served]:
    """The app on a free loopback port: its base URL and the requests it received."""
    log: list[tuple[str, str, str]] = []
    handler = type("Handler", (_App,), {"document": document, "notes": {}, "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def app() -> Iterator[Served]:
    with _serving(DOCUMENT) as served:
        yield served


def _errors(report: BadInputReport) -> list[tuple[str, str, int, str]]:
    return [(e.method, e.path, e.status, str(e.request["body"])) for e in report.server_errors]


def test_the_pass_reports_exactly_the_two_bad_endpoints(
    app: Served,
) -> None:
    base, log = app
    report = send_bad_inputs(base, HEADERS, budget=60)
    assert report.complete and not report.problems
    assert _errors(report) == [
        ("PUT", "/notes/{id}", 500, '{"title": "a\\u0000b"}'),
        ("POST", "/counters", 500, '{"value": 9223372036854775808}'),
        ("POST", "/counters", 500, '{"value": -9223372036854775809}'),
        ("POST", "/counters", 500, '{"value": 1000000000000000000000000000000}'),
    ]
    note = str(uuid.uuid5(uuid.NAMESPACE_URL, "gate-probe"))
    assert report.server_errors[0].request["uri"] == f"{base}/notes/{note}"  # the created row
    assert report.server_errors[0].request["headers"]["Authorization"] == ["[Filtered]"]
    assert report.server_errors[0].response["content"] == "Internal Server Error"
    sent = [(method, target) for method, target, _ in log]
    assert ("GET", "/events?limit=1&q=a%00b") in sent  # a query parameter varied,
    assert ("GET", "/events?limit=9223372036854775808") in sent  # required or not,
    assert ("GET", "/notes/a%00b") in sent  # and a path parameter
    assert report.requests == len(log) and report.cases == len(log) - 2  # openapi, one POST


def test_the_body_variants_cover_each_kind_of_known_bad_value(
    app: Served,
) -> None:
    base, log = app
    send_bad_inputs(base, HEADERS, budget=60)
    bodies = [body for method, target, body in log if (method, target) == ("POST", "/events")]
    valid = {"name": "gate-probe", "at": "2025-01-01T00:00:00Z"}
    changed = [{k: v for k, v in json.loads(body).items() if valid.get(k) != v} for body in bodies]
    assert changed == [
        {"name": "a\x00b"},
        {"at": "a\x00b"},
        {"at": "2025-01-01T00:00:00"},
        {"at": "9999-12-31T23:59:59Z"},
        {"day": "a\x00b"},
        {"day": "0000-01-01"},
        {"count": 2**63},
        {"count": -(2**63) - 1},
        {"count": 10**30},
        {"ratio": math.inf},
        {"name": "x" * 100_000},
    ]
    assert bodies[9] == '{"name": "gate-probe", "at": "2025-01-01T00:00:00Z", "ratio": 1e999}'


def test_two_runs_send_the_same_requests_in_the_same_order(
    app: Served,
) -> None:
    base, log = app
    first = send_bad_inputs(base, HEADERS, budget=60)
    requests = list(log)
    log.clear()
    second = send_bad_inputs(base, HEADERS, budget=60)
    assert log == requests
    assert (second.cases, second.requests, second.problems) == (
        first.cases,
        first.requests,
        first.problems,
    )
    assert [e.request for e in second.server_errors] == [e.request for e in first.server_errors]
    assert _errors(second) == _errors(first)


def test_the_fuzzer_reports_the_pass_alongside_schemathesis(
    app: Served,
) -> None:
    base, _ = app
    alone = send_bad_inputs(base, HEADERS, budget=60)
    report = SchemathesisFuzzer().fuzz(base, HEADERS, max_examples=1, timeout=120)
    assert report.complete and not report.problems, report.summary()
    assert report.cases > alone.cases and report.requests > alone.requests
    lines = sorted(line.split(" (")[0] for line in report.server_errors)
    assert lines == ["POST /counters -> 500", "PUT /notes/{id} -> 500"], report.summary()
    assert any("smallest request: curl -X PUT" in line for line in report.server_errors)


def test_a_transport_error_stops_the_pass_as_a_problem() -> None:
    with _serving(HANG_UP) as (base, _):
        report = send_bad_inputs(base, HEADERS, budget=60)
    assert not report.complete and report.cases == 0 and report.requests == 2
    assert len(report.problems) == 1
    assert report.problems[0].startswith("bad inputs: POST /hang-up: RemoteProtocolError")
    assert report.problems[0].endswith("stopped after 0 of 2 cases")


def test_an_exhausted_budget_is_a_problem(app: Served) -> None:
    base, log = app
    report = send_bad_inputs(base, HEADERS, budget=0)
    assert report.problems == ("bad inputs: timed out after 0 s; stopped after 0 of 0 cases",)
    assert not report.complete and report.requests == 0 and log == []


@pytest.mark.parametrize(
    "base", ["http://192.0.2.1:8000", "ftp://127.0.0.1:8000", "http://example.com"]
)
def test_a_base_url_off_loopback_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        send_bad_inputs(base, HEADERS, budget=60)
