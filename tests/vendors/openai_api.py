"""OpenAI's Chat Completions wire format: a ``chat.completion`` object, ``{"error": {...}}``
bodies, the key as a bearer token, and the base URL ending in /v1."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.vendors import SCHEMA_NAME
from tests.vendors.server import Recorded, Reply

PROVIDER = "openai"
MODEL = "gpt-4.1"
REPORTED_MODEL = "gpt-4.1-2025-04-14"  # the snapshot that answered
DEFAULT_MODEL = "gpt-4.1-mini"
ASSISTANT = "assistant"
MAX_TOKENS = "max_completion_tokens"
USAGE = (19, 10)
ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    429: ("requests", "rate_limit_exceeded"),
}


def environ(url: str, key: str) -> dict[str, str]:
    return {"OPENAI_API_KEY": key, "OPENAI_BASE_URL": f"{url}/v1"}


def path(model: str) -> str:
    return "/v1/chat/completions"


def completion(
    content: str | None, *, finish_reason: str = "stop", refusal: str | None = None
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1741569952,
        "model": REPORTED_MODEL,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content,
                    "refusal": refusal,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": 19,
            "completion_tokens": 10,
            "total_tokens": 29,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
        "service_tier": "default",
        "system_fingerprint": None,
    }


def answer(text: str) -> Reply:
    return Reply(200, completion(text))


def plain(*texts: str) -> Reply:
    return Reply(200, completion("".join(texts)))


def failure(status: int, message: str, headers: Mapping[str, str] | None = None) -> Reply:
    kind, code = ERROR_TYPES.get(status, ("server_error", None))
    error = {"message": message, "type": kind, "param": None, "code": code}
    return Reply(status, {"error": error}, headers or {})


def unusable() -> dict[str, Reply]:
    return {
        "no choices": Reply(200, {**completion(None), "choices": []}),
        "a refusal": Reply(200, completion(None, refusal="I can't help with that.")),
        "cut at the token limit": Reply(200, completion('{"entities": [', finish_reason="length")),
        "an empty message": Reply(200, completion("")),
        "choices of the wrong type": Reply(200, {**completion(None), "choices": "none"}),
        "not JSON": Reply(200, b"<html>502 Bad Gateway</html>"),
    }


def key(request: Recorded) -> str | None:
    return request.headers.get("authorization", "").removeprefix("Bearer ") or None


def model(request: Recorded) -> str:
    return str(request.body["model"])


def system(request: Recorded) -> str:
    first = request.body["messages"][0]
    assert first["role"] == "system"
    return str(first["content"])


def schema(request: Recorded) -> object:
    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema"
    described = response_format["json_schema"]
    assert (described["name"], described["strict"]) == (SCHEMA_NAME, False)
    return described["schema"]


def structured(request: Recorded) -> bool:
    return "response_format" in request.body


def turns(request: Recorded) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in request.body["messages"][1:]]


def sampling(request: Recorded) -> Mapping[str, Any]:
    body: Mapping[str, Any] = request.body
    return body
