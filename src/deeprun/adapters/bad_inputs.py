"""Known-bad inputs: the values that make naive FastAPI + PostgreSQL code answer 500, sent on
purpose, because a derandomized Schemathesis run never happens to send them.

They are the classic ones: a NUL byte in a string (PostgreSQL text refuses it), integers beyond
64 bits (a BIGINT overflows), naive or out-of-range datetimes (a TIMESTAMPTZ column or the
driver refuses them), a year-zero date, a 100,000-character string (too long for any bounded
column) and a number no float holds (``1e999``, which Python's JSON parser reads as infinity).
For every operation of the server's own OpenAPI document one valid request is built (path
parameters from a row created by a POST to the collection when there is one, so the variants
reach the storage; required query parameters; a body from the request schema), then sent again
once per variant with exactly one value replaced by a bad one. Any 5xx is a server error; a 4xx
is the right answer.

The pass is deterministic: the same cases in the same order on every run. It is bounded: at most
``MAX_CASES`` variants (trimmed evenly across operations, plus one row-creating POST per
collection), a wall-time budget and a per-request timeout; a transport error or the end of the
budget stops it. Like the rest of the gates it talks to loopback only, without proxies or
redirects.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from deeprun.adapters.http_probe import Examples, Schema, UnbuildableError, json_type, loopback

MAX_CASES = 400
REQUEST_TIMEOUT = 10.0  # one small request each: a server this slow is stuck, not busy
LONG_TEXT = "x" * 100_000
NUL_TEXT = "a\x00b"
BIG_INTEGERS = (2**63, -(2**63) - 1, 10**30)
BAD_BY_FORMAT: Mapping[str, tuple[str, ...]] = {
    "date-time": ("2025-01-01T00:00:00", "9999-12-31T23:59:59Z"),
    "date": ("0000-01-01",),
}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MEDIA = ("application/json", "application/x-www-form-urlencoded")
_PATH_PARAMETER = re.compile(r"\{([^}/]+)\}")
_FILTERED = "[Filtered]"


@dataclass(frozen=True, slots=True)
class RawJson:
    """JSON text sent as it is: ``1e999`` is valid JSON that no float can hold."""

    text: str


BEYOND_FLOAT = RawJson("1e999")


@dataclass(frozen=True, slots=True)
class ServerError:
    """One 5xx answer, its request and response shaped like a Schemathesis interaction so the
    fuzzer reports both alike."""

    method: str
    path: str  # the operation's path template
    status: int
    request: dict[str, Any]  # method, uri, headers (name to values), body
    response: dict[str, Any]  # status_code, content, headers (name to values)


@dataclass(frozen=True, slots=True)
class BadInputReport:
    cases: int  # variants sent
    requests: int  # every request, the OpenAPI document's and row-creating POSTs included
    server_errors: tuple[ServerError, ...]
    problems: tuple[str, ...]
    complete: bool  # every planned variant was sent


def send_bad_inputs(base_url: str, headers: Mapping[str, str], *, budget: float) -> BadInputReport:
    """Send every known-bad variant to the server at ``base_url`` (loopback only) within
    ``budget`` seconds; ``headers`` (e.g. a bearer token) go on every request."""
    base = loopback(base_url).rstrip("/")
    deadline = time.monotonic() + budget
    with httpx.Client(trust_env=False, follow_redirects=False) as http:
        sender = _Sender(http, base, headers, deadline, budget)
        return _Pass(sender, sender.openapi()).run()


@dataclass(frozen=True, slots=True)
class _Operation:
    method: str
    path: str  # the template, e.g. /products/{id}
    parameters: tuple[Schema, ...]  # path and query parameters, resolved
    body: object  # the request body's schema; None without a body we can encode
    media: str | None


@dataclass(frozen=True, slots=True)
class _Slot:
    """Where one value of a request goes: ``body``, ``query`` or ``path``, and its name."""

    where: str
    name: str
    schema: Schema


@dataclass(frozen=True, slots=True)
class _Case:
    operation: _Operation
    slot: _Slot
    value: object


@dataclass(frozen=True, slots=True)
class _Values:
    """One request's values before encoding."""

    path: Mapping[str, object]
    query: Mapping[str, object]
    body: object

    def with_value(self, slot: _Slot, value: object) -> _Values:
        if slot.where == "path":
            return replace(self, path={**self.path, slot.name: value})
        if slot.where == "query":
            return replace(self, query={**self.query, slot.name: value})
        body = self.body if isinstance(self.body, Mapping) else {}
        return replace(self, body={**body, slot.name: value})


class _Sender:
    """Sends requests until the budget ends or the transport fails, recording every 5xx."""

    def __init__(
        self,
        http: httpx.Client,
        base: str,
        headers: Mapping[str, str],
        deadline: float,
        budget: float,
    ) -> None:
        self._http, self._base, self._headers = http, base, headers
        self._deadline, self._budget = deadline, budget
        self.requests = 0
        self.server_errors: list[ServerError] = []
        self.stopped: str | None = None  # why nothing more is sent

    def openapi(self) -> Schema:
        """The server's OpenAPI document; one without paths once stopped for want of it."""
        response = self.send("GET", "/openapi.json", "/openapi.json", None, None)
        if response is None:
            return {}
        try:
            document = response.json()
        except ValueError:
            document = None
        if isinstance(document, dict) and isinstance(document.get("paths"), dict):
            return document
        self.stopped = f"/openapi.json answered {response.status_code} without an OpenAPI document"
        return {}

    def send(
        self, method: str, path: str, target: str, content: str | None, media: str | None
    ) -> httpx.Response | None:
        """The response to ``method base+target``; None once stopped."""
        left = self._deadline - time.monotonic()
        if self.stopped is None and left <= 0:
            self.stopped = f"timed out after {self._budget:g} s"
        if self.stopped is not None:
            return None
        headers = {**self._headers, **({"content-type": media} if media else {})}
        self.requests += 1
        try:
            response = self._http.request(
                method,
                self._base + target,
                content=content,
                headers=headers,
                timeout=min(REQUEST_TIMEOUT, left),
            )
        except httpx.HTTPError as error:
            self.stopped = f"{method} {path}: {type(error).__name__}: {error}"
            return None
        if response.status_code >= 500:
            request = self._request_record(method, target, content, media)
            self.server_errors.append(
                ServerError(method, path, response.status_code, request, _response_record(response))
            )
        return response

    def _request_record(
        self, method: str, target: str, content: str | None, media: str | None
    ) -> dict[str, Any]:
        """The request as sent, the caller's headers (credentials) masked."""
        headers = {name: [_FILTERED] for name in self._headers}
        if media:
            headers["content-type"] = [media]
        return {"method": method, "uri": self._base + target, "headers": headers, "body": content}


def _response_record(response: httpx.Response) -> dict[str, Any]:
    headers = {name: response.headers.get_list(name) for name in response.headers}
    return {"status_code": response.status_code, "content": response.text, "headers": headers}


class _Pass:
    """One run: the plan from the OpenAPI document, then each case on a valid request."""

    def __init__(self, sender: _Sender, document: Schema) -> None:
        self._sender = sender
        self._document = document
        self._examples = Examples(document)
        self._operations: dict[tuple[str, str], _Operation] = {}  # by method and path
        self._bases: dict[tuple[str, str], _Values | UnbuildableError] = {}
        self._rows: dict[str, object] = {}  # collection path to a created row's id, or None
        self._problems: list[str] = []

    def run(self) -> BadInputReport:
        plans = [self._plan(operation) for operation in self._read()]
        cases = _bounded(plans, MAX_CASES)
        for case in cases:  # every row first: an accepted variant could take a unique value
            self._base(case.operation)
        sent = 0
        for case in cases:
            if not self._send(case):
                break
            sent += 1
        return self._report(sent, len(cases))

    def _report(self, sent: int, planned: int) -> BadInputReport:
        sender = self._sender
        problems = list(self._problems)
        if sender.stopped is not None:
            problems.append(f"{sender.stopped}; stopped after {sent} of {planned} cases")
        return BadInputReport(
            cases=sent,
            requests=sender.requests,
            server_errors=tuple(sender.server_errors),
            problems=tuple(f"bad inputs: {problem}" for problem in problems),
            complete=sender.stopped is None,
        )

    def _read(self) -> Iterator[_Operation]:
        for path, item in self._document.get("paths", {}).items():
            for method in (m for m in item if m in _METHODS):
                operation = self._operation(path, item, method)
                self._operations[operation.method, path] = operation
                yield operation

    def _operation(self, path: str, item: Schema, method: str) -> _Operation:
        declared = [*item.get("parameters", []), *item[method].get("parameters", [])]
        parameters = tuple(
            p for p in map(self._examples.resolve, declared) if p.get("in") in {"path", "query"}
        )
        content = self._examples.resolve(item[method].get("requestBody", {})).get("content", {})
        media = next((m for m in _MEDIA if m in content), None)
        body = content[media].get("schema", {}) if media else None
        return _Operation(method.upper(), path, parameters, body, media)

    def _plan(self, operation: _Operation) -> list[_Case]:
        """One case per bad value of each slot, and the long string once, on the first string
        of the body (storing it is what fails; a URL that long is refused before sending)."""
        try:
            slots = self._slots(operation)
        except UnbuildableError as error:
            self._problems.append(f"cannot read {operation.method} {operation.path}: {error}")
            return []
        cases = [_Case(operation, slot, value) for slot in slots for value in _bad_values(slot)]
        strings = [s for s in slots if s.where == "body" and json_type(s.schema) == "string"]
        if strings:
            cases.append(_Case(operation, strings[0], LONG_TEXT))
        return cases

    def _slots(self, operation: _Operation) -> list[_Slot]:
        concrete = self._examples.concrete
        slots = []
        if operation.body is not None:
            properties = concrete(operation.body).get("properties", {})
            slots += [_Slot("body", name, concrete(node)) for name, node in properties.items()]
        return slots + [
            _Slot(p["in"], p["name"], concrete(p.get("schema", {}))) for p in operation.parameters
        ]

    def _send(self, case: _Case) -> bool:
        """Sends one case; False once the pass must stop."""
        operation = case.operation
        base = self._base(operation)
        if isinstance(base, UnbuildableError):
            return True  # reported once, when the base was built
        target, content = _encoded(operation, base.with_value(case.slot, case.value))
        response = self._sender.send(
            operation.method, operation.path, target, content, operation.media
        )
        return response is not None

    def _base(self, operation: _Operation) -> _Values | UnbuildableError:
        """The operation's valid request (built once), or why there is none."""
        key = (operation.method, operation.path)
        if key not in self._bases:
            try:
                self._bases[key] = self._valid(operation)
            except UnbuildableError as error:
                self._problems.append(
                    f"cannot build a request for {operation.method} {operation.path}: {error}"
                )
                self._bases[key] = error
        return self._bases[key]

    def _valid(self, operation: _Operation) -> _Values:
        value = self._examples.value
        path: dict[str, object] = {}
        query: dict[str, object] = {}
        for parameter in operation.parameters:
            name, schema = parameter["name"], parameter.get("schema", {})
            if parameter["in"] == "path":
                row = self._row(operation.path, name)
                path[name] = value(schema) if row is None else row
            elif parameter.get("required"):
                query[name] = value(schema)
        body = None if operation.body is None else value(operation.body)
        return _Values(path, query, body)

    def _row(self, path: str, name: str) -> object:
        """The id of a row POSTed to the collection before ``{name}``, so the variants reach
        the storage instead of a 404; None when there is no such collection or no row."""
        collection = path.partition(f"/{{{name}}}")[0]
        if collection not in self._rows:
            self._rows[collection] = self._created(collection, name)
        return self._rows[collection]

    def _created(self, collection: str, name: str) -> object:
        creator = self._operations.get(("POST", collection))
        base = None if creator is None else self._base(creator)
        if creator is None or not isinstance(base, _Values):
            return None
        target, content = _encoded(creator, base)
        response = self._sender.send("POST", collection, target, content, creator.media)
        if response is None or not response.is_success:
            return None
        try:
            row = response.json()
        except ValueError:
            return None
        return row.get(name, row.get("id")) if isinstance(row, dict) else None


def _bad_values(slot: _Slot) -> tuple[object, ...]:
    kind = json_type(slot.schema)
    if kind == "string":
        return (NUL_TEXT, *BAD_BY_FORMAT.get(str(slot.schema.get("format")), ()))
    if kind == "integer":
        return BIG_INTEGERS
    if kind == "number":
        return (BEYOND_FLOAT,)
    return ()


def _bounded(plans: Sequence[Sequence[_Case]], cap: int) -> list[_Case]:
    """At most ``cap`` cases: every operation's first ones before any operation's later ones,
    so a cap trims evenly; then in plan order."""
    ranked = sorted((rank, index) for index, plan in enumerate(plans) for rank in range(len(plan)))
    kept = sorted(ranked[:cap], key=lambda position: (position[1], position[0]))
    return [plans[index][rank] for rank, index in kept]


def _encoded(operation: _Operation, values: _Values) -> tuple[str, str | None]:
    """The request target (path and query, percent-encoded) and the body text."""
    path = _PATH_PARAMETER.sub(
        lambda match: quote(_text(values.path.get(match[1], 1)), safe=""), operation.path
    )
    query = urlencode([(name, _text(value)) for name, value in values.query.items()])
    target = f"{path}?{query}" if query else path
    if operation.media is None:
        return target, None
    if operation.media == "application/json":
        return target, _json(values.body)
    fields = values.body if isinstance(values.body, Mapping) else {}
    return target, urlencode([(name, _text(value)) for name, value in fields.items()])


def _text(value: object) -> str:
    """A value as a query, path or form parameter."""
    if isinstance(value, str):
        return value
    if isinstance(value, RawJson):
        return value.text
    return json.dumps(value)


def _json(value: object) -> str:
    """JSON text with a ``RawJson`` written as it is (escaped: NUL is ``\\u0000``)."""
    if isinstance(value, RawJson):
        return value.text
    if isinstance(value, Mapping):
        members = (f"{json.dumps(name)}: {_json(item)}" for name, item in value.items())
        return "{" + ", ".join(members) + "}"
    return json.dumps(value)
