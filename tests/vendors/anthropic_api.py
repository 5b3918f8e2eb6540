"""Anthropic's Messages wire format: a ``message`` with ``tool_use`` or ``text`` blocks, and
``{"type": "error", "error": {...}}`` bodies (529 is ``overloaded_error``).

SDK 2.x sends the API key as a bearer token (``Authorization``), not as ``x-api-key``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tests.vendors import SCHEMA_NAME
from tests.vendors.server import Recorded, Reply

PROVIDER = "anthropic"
MODEL = "claude-sonnet-4-6"
REPORTED_MODEL = "claude-sonnet-4-6-20260217"  # the snapshot that answered
DEFAULT_MODEL = "claude-sonnet-4-6"
ASSISTANT = "assistant"
MAX_TOKENS = "max_tokens"
USAGE = (2095, 503)
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}


def environ(url: str, key: str) -> dict[str, str]:
    return {"ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": url}


def path(model: str) -> str:
    return "/v1/messages"


def message(content: list[dict[str, Any]], *, stop_reason: str = "end_turn") -> dict[str, Any]:
    return {
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": REPORTED_MODEL,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": 2095,
            "output_tokens": 503,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "service_tier": "standard",
        },
    }


def tool_use(name: str, arguments: object) -> dict[str, Any]:
    return {
        "type": "tool_use",
        "id": "toolu_01A09q90qw90lq917835lq9",
        "name": name,
        "input": arguments,
    }


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def answer(text: str) -> Reply:
    return Reply(200, message([tool_use(SCHEMA_NAME, json.loads(text))], stop_reason="tool_use"))


def plain(*texts: str) -> Reply:
    return Reply(200, message([text(piece) for piece in texts]))


def failure(status: int, message: str, headers: Mapping[str, str] | None = None) -> Reply:
    error = {"type": ERROR_TYPES.get(status, "api_error"), "message": message}
    body = {"type": "error", "error": error, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}
    return Reply(status, body, headers or {})


def unusable() -> dict[str, Reply]:
    return {
        "another tool": Reply(200, message([tool_use("other", {})], stop_reason="tool_use")),
        "cut at the token limit": Reply(
            200, message([tool_use(SCHEMA_NAME, {})], stop_reason="max_tokens")
        ),
        "a refusal": Reply(200, message([], stop_reason="refusal")),
        "content of the wrong type": Reply(200, {**message([]), "content": [3]}),
        "not JSON": Reply(200, b"upstream connect error"),
    }


def key(request: Recorded) -> str | None:
    return request.headers.get("authorization", "").removeprefix("Bearer ") or None


def model(request: Recorded) -> str:
    return str(request.body["model"])


def system(request: Recorded) -> str:
    return str(request.body["system"])


def schema(request: Recorded) -> object:
    (tool,) = request.body["tools"]
    assert tool["name"] == SCHEMA_NAME
    assert request.body["tool_choice"] == {"type": "tool", "name": SCHEMA_NAME}
    return tool["input_schema"]


def structured(request: Recorded) -> bool:
    return "tools" in request.body or "tool_choice" in request.body


def turns(request: Recorded) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in request.body["messages"]]


def sampling(request: Recorded) -> Mapping[str, Any]:
    body: Mapping[str, Any] = request.body
    return body
