"""Probes a booted backend over loopback with httpx: its health, and the account flow end to end.

The flow reads only what the server publishes, its OpenAPI document, and never the spec: the
register body is built from the published request schema, so any generated project works,
including one whose accounts have unusual required fields. Every HTTP or transport problem
becomes a ``Failure`` coded ``boot`` with the step as ``tool_code``; nothing is raised except
for a base URL that is not loopback, which is a caller's bug. No proxies from the environment,
no redirects: a request never leaves the machine.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx

from deeprun.contracts.gates import Failure
from deeprun.ports.gates import Probe

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
BODY_EXCERPT = 300
PASSWORD = "gate-probe-password-0001"  # noqa: S105 - a throwaway account's, on loopback
TEXT = "gate-probe"
MAX_DEPTH = 32
PATTERN_EXAMPLES = 1000
_FORMATS: Mapping[str, str] = {
    "email": "gate-probe@example.com",
    "uri": "https://example.com/gate-probe",
    "date": "2025-01-01",
    "date-time": "2025-01-01T00:00:00Z",
    "time": "00:00:00",
    "uuid": "00000000-0000-4000-8000-000000000001",
}

Schema = Mapping[str, Any]
Bound = tuple[float, bool]  # the limit, and whether it is exclusive


class HttpxProbe:
    """The ``HttpProbe`` port over httpx, synchronous: the gates wait on each answer anyway."""

    def __init__(self, timeout: float = 30.0, poll_interval: float = 0.1) -> None:
        self._timeout = timeout  # per request: registration hashes a password, slow by design
        self._poll_interval = poll_interval

    def wait_healthy(self, base_url: str, budget: float, alive: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + budget
        with self._client(base_url) as http:
            while alive() and (left := deadline - time.monotonic()) > 0:
                try:
                    if http.get("/health", timeout=min(left, 1.0)).status_code == 200:
                        return True
                except httpx.HTTPError:
                    pass  # not listening yet
                time.sleep(min(self._poll_interval, max(deadline - time.monotonic(), 0)))
        return False

    def auth_flow(self, base_url: str, admin_email: str, admin_password: str) -> Probe:
        with self._client(base_url) as http:
            return _AuthFlow(http).run(admin_email, admin_password)

    def admin_headers(
        self, base_url: str, admin_email: str, admin_password: str
    ) -> Mapping[str, str]:
        """The first admin's bearer header; empty when the login fails (the caller reports)."""
        with self._client(base_url) as http:
            token = _AuthFlow(http).token("admin_login", admin_email, admin_password)
        return _bearer(token) if token else {}

    def _client(self, base_url: str) -> httpx.Client:
        return httpx.Client(
            base_url=loopback(base_url),
            timeout=self._timeout,
            follow_redirects=False,
            trust_env=False,
        )


def loopback(base_url: str) -> str:
    """The base URL unchanged; ValueError unless it is http(s) on a loopback host."""
    refused = ValueError(f"the probe only talks to loopback http(s), not {base_url!r}")
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as error:
        raise refused from error
    if url.scheme not in {"http", "https"} or url.host not in LOOPBACK_HOSTS:
        raise refused
    return base_url


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


class _AuthFlow:
    """One run of the account flow: each step records its status and any failure."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http
        self._evidence: dict[str, object] = {}
        self._failures: list[Failure] = []

    def run(self, admin_email: str, admin_password: str) -> Probe:
        document = self._openapi()
        if document is not None and "/auth/login" not in document["paths"]:
            return Probe((), {"auth": "disabled"})
        if document is not None:
            self._accounts(document, self.token("admin_login", admin_email, admin_password))
        return Probe(tuple(self._failures), dict(self._evidence))

    def _accounts(self, document: Schema, admin: str | None) -> None:
        """A fresh account (unique, so a second run on the same database still registers)."""
        email = f"gate-probe-{uuid.uuid4().hex[:12]}@example.com"
        self._evidence["email"] = email
        password = self._register(document, email, admin)
        if password is not None:
            token = self.token("login", email, password)
            if token is not None:
                self._authorized(token, email)
        self._unauthorized()

    def token(self, step: str, email: str, password: str) -> str | None:
        """An access token from POST /auth/login, or None after recording why not."""
        body = {"email": email, "password": password}
        response = self._send(step, "POST", "/auth/login", json=body)
        if response is None or not self._expect(step, response, 200):
            return None
        answer = _json(response)
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if isinstance(token, str) and token:
            return token
        self._fail(
            step, f"POST /auth/login answered 200 without an access_token: {_excerpt(response)}"
        )
        return None

    def _openapi(self) -> Schema | None:
        response = self._send("openapi", "GET", "/openapi.json")
        if response is None or not self._expect("openapi", response, 200):
            return None
        document = _json(response)
        if isinstance(document, dict) and isinstance(document.get("paths"), dict):
            return document
        self._fail("openapi", f"/openapi.json is not an OpenAPI document: {_excerpt(response)}")
        return None

    def _register(self, document: Schema, email: str, admin: str | None) -> str | None:
        """Self-registration first, then with the admin's token when that is refused (admin_only
        registration); the new account's password once it answered 201."""
        try:
            body = register_body(document, email)
        except UnbuildableError as error:
            self._fail("register", f"cannot build a register body from the OpenAPI: {error}")
            return None
        self._evidence["registered_by"] = "self"
        response = self._send("register", "POST", "/auth/register", json=body)
        if response is not None and response.status_code in {401, 403} and admin is not None:
            self._evidence["registered_by"] = "admin"
            response = self._send(
                "register", "POST", "/auth/register", json=body, headers=_bearer(admin)
            )
        if response is None or not self._expect("register", response, 201):
            return None
        return str(body["password"])

    def _authorized(self, token: str, email: str) -> None:
        response = self._send("authorized", "GET", "/auth/me", headers=_bearer(token))
        if response is None or not self._expect("authorized", response, 200):
            return
        answer = _json(response)
        seen = answer.get("email") if isinstance(answer, dict) else None
        if not isinstance(seen, str) or seen.lower() != email.lower():
            self._fail("authorized", f"GET /auth/me answered another account: {_excerpt(response)}")

    def _unauthorized(self) -> None:
        response = self._send("unauthorized", "GET", "/auth/me")
        if response is not None:
            self._expect("unauthorized", response, 401)

    def _send(
        self,
        step: str,
        method: str,
        path: str,
        *,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response | None:
        try:
            response = self._http.request(method, path, json=json, headers=headers)
        except httpx.HTTPError as error:
            self._fail(step, f"{method} {path}: {type(error).__name__}: {error}")
            return None
        self._evidence[step] = response.status_code
        return response

    def _expect(self, step: str, response: httpx.Response, status: int) -> bool:
        if response.status_code == status:
            return True
        request = response.request
        self._fail(
            step,
            f"{request.method} {request.url.path} answered {response.status_code}, "
            f"expected {status}: {_excerpt(response)}",
        )
        return False

    def _fail(self, step: str, message: str) -> None:
        self._failures.append(Failure(code="boot", message=message, tool_code=step))


def _excerpt(response: httpx.Response) -> str:
    return response.text[:BODY_EXCERPT]


class UnbuildableError(Exception):
    """A request schema this probe cannot satisfy."""


def register_body(document: Schema, email: str) -> dict[str, object]:
    """The smallest valid body for POST /auth/register: required properties, email, password."""
    examples = Examples(document)
    schema = examples.resolve(
        _at(document, "paths", "/auth/register", "post", "requestBody", "content")
        .get("application/json", {})
        .get("schema")
    )
    body = examples.value(schema)
    if not isinstance(body, dict):
        raise UnbuildableError("the register body is not an object")
    secret = examples.resolve(schema.get("properties", {}).get("password", {}))
    return {**body, "email": email, "password": _fit(PASSWORD, secret)}


def _at(node: Schema, *keys: str) -> Schema:
    for key in keys:
        child = node.get(key)
        if not isinstance(child, Mapping):
            raise UnbuildableError(f"the OpenAPI document has no {key!r} under {keys}")
        node = child
    return node


class Examples:
    """A valid value for a schema of one OpenAPI document: the first, smallest that fits."""

    def __init__(self, document: Schema) -> None:
        self._document = document

    def resolve(self, schema: object) -> Schema:
        """The schema with its local ``$ref`` chain followed."""
        for _ in range(MAX_DEPTH):
            if not isinstance(schema, Mapping):
                raise UnbuildableError(f"not a schema: {schema!r}")
            ref = schema.get("$ref")
            if not isinstance(ref, str):
                return schema
            if not ref.startswith("#/"):
                raise UnbuildableError(f"only local references are followed, not {ref!r}")
            keys = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
            schema = _at(self._document, *keys)
        raise UnbuildableError("a $ref chain does not end")

    def value(self, schema: object, depth: int = 0) -> object:
        if depth > MAX_DEPTH:
            raise UnbuildableError("the schema nests too deeply (a required cycle?)")
        node = self.resolve(schema)
        if "const" in node:
            return node["const"]
        if node.get("enum"):
            return next((v for v in node["enum"] if v is not None), node["enum"][0])
        inner = self._inner(node)
        if inner is not None:
            return self.value(inner, depth + 1)
        return self._typed(node, depth)

    def concrete(self, schema: object) -> Schema:
        """The plain schema a value is built from: what a caller must know to vary that value
        (its type, its format, an object's properties) without building it."""
        node = self.resolve(schema)
        for _ in range(MAX_DEPTH):
            inner = self._inner(node)
            if inner is None:
                return node
            node = self.resolve(inner)
        raise UnbuildableError("the schema nests too deeply (a required cycle?)")

    def _inner(self, node: Schema) -> object | None:
        """What stands for a combined schema (allOf merged, the first non-null alternative);
        None for a plain one."""
        if "allOf" in node:
            return self._merged(node)
        for key in ("anyOf", "oneOf"):
            if key in node:
                return self._not_null(node[key])
        return None

    def _typed(self, node: Schema, depth: int) -> object:
        kind = json_type(node)
        if kind == "object":
            required = node.get("required", [])
            properties = node.get("properties", {})
            return {name: self.value(properties.get(name, {}), depth + 1) for name in required}
        if kind == "array":
            items = node.get("items", {})
            return [self.value(items, depth + 1) for _ in range(node.get("minItems", 0))]
        if kind in {"integer", "number"}:
            return _number(node, integral=kind == "integer")
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return _string(node)

    def _merged(self, node: Schema) -> Schema:
        """allOf folded into one schema: properties joined, required lists concatenated."""
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        for part in map(self.resolve, node["allOf"]):
            for key, item in part.items():
                if key == "properties":
                    merged[key] = {**merged.get(key, {}), **item}
                elif key == "required":
                    merged[key] = [*merged.get(key, []), *item]
                else:
                    merged[key] = item
        return merged

    def _not_null(self, options: list[object]) -> object:
        """The first alternative that is not ``null``: a required field must carry a value."""
        for option in options:
            if json_type(self.resolve(option)) != "null":
                return option
        return options[0]


def json_type(node: Schema) -> str:
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None and "properties" in node:
        return "object"
    return str(kind) if kind is not None else "string"


def _string(node: Schema) -> str:
    known = _FORMATS.get(str(node.get("format")))
    if known is not None:
        return known
    if "pattern" in node:
        return _matching(node["pattern"], node.get("minLength", 0), node.get("maxLength"))
    return _fit(TEXT, node)


def _fit(text: str, node: Schema) -> str:
    """``text`` repeated or cut to the schema's length limits."""
    low: int = node.get("minLength", 0)
    high: int | None = node.get("maxLength")
    length = max(len(text), low) if high is None else min(max(len(text), low), high)
    return (text * (length // max(len(text), 1) + 1))[:length]


def _matching(pattern: str, low: int, high: int | None) -> str:
    """The first string Hypothesis generates for the pattern within the lengths (its simplest
    first, no shrinking: that costs a second per pattern). Derandomized: always the same one.
    Hypothesis is imported here, not with the module: it takes a tenth of a second, and every
    deeprun command imports this module (``compile`` among them) while few bodies have patterns."""
    from hypothesis import HealthCheck, Phase, find, settings  # noqa: PLC0415 - see above
    from hypothesis import strategies as st  # noqa: PLC0415
    from hypothesis.errors import HypothesisException  # noqa: PLC0415

    strings = st.from_regex(
        pattern, fullmatch=True, alphabet=st.characters(exclude_characters="\x00")
    )
    try:
        found: str = find(
            strings.filter(lambda s: low <= len(s) and (high is None or len(s) <= high)),
            lambda _: True,
            settings=settings(
                database=None,
                derandomize=True,
                max_examples=PATTERN_EXAMPLES,
                phases=[Phase.generate],
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    except (HypothesisException, re.error) as error:
        raise UnbuildableError(f"no string matches {pattern!r}: {error}") from error
    return found


def _limit(node: Schema, inclusive: str, exclusive: str) -> Bound | None:
    """A bound from OpenAPI 3.1 (numeric exclusive*) or 3.0 (boolean exclusive*) keywords."""
    strict = node.get(exclusive)
    if isinstance(strict, int | float) and not isinstance(strict, bool):
        return float(strict), True
    if inclusive in node:
        return float(node[inclusive]), strict is True
    return None


def _candidates(low: Bound | None, high: Bound | None, step: float | None) -> Iterator[float]:
    yield 1
    anchors = [bound[0] for bound in (low, high) if bound is not None]
    for anchor in anchors:
        yield from (anchor, anchor + 1, anchor - 1)
    if low is not None and high is not None:
        yield (low[0] + high[0]) / 2
    if step:
        yield from (math.ceil(anchor / step) * step for anchor in [step, *anchors])


def _number(node: Schema, *, integral: bool) -> int | float:
    low = _limit(node, "minimum", "exclusiveMinimum")
    high = _limit(node, "maximum", "exclusiveMaximum")
    step = node.get("multipleOf")
    for candidate in _candidates(low, high, step):
        value = math.ceil(candidate) if integral else candidate
        if _within(value, low, high, step):
            return value
    raise UnbuildableError(f"no number fits {dict(node)}")


def _within(value: float, low: Bound | None, high: Bound | None, step: float | None) -> bool:
    above = low is None or value > low[0] or (value == low[0] and not low[1])
    below = high is None or value < high[0] or (value == high[0] and not high[1])
    return above and below and (not step or math.isclose(value / step, round(value / step)))
