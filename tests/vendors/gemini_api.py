"""The Gemini API's wire format (google-genai posts to /v1beta/models/{model}:generateContent):
a GenerateContentResponse with candidates, content and parts, ``{"error": {code, message,
status, details}}`` bodies, and the key in ``x-goog-api-key``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.vendors.server import Recorded, Reply

PROVIDER = "gemini"
MODEL = "gemini-2.5-pro"
REPORTED_MODEL = "gemini-2.5-pro-preview-06-05"  # the version that answered
DEFAULT_MODEL = "gemini-2.5-flash"
ASSISTANT = "model"
MAX_TOKENS = "maxOutputTokens"
USAGE = (8, 12)
STATUSES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def environ(url: str, key: str) -> dict[str, str]:
    return {"GEMINI_API_KEY": key, "GOOGLE_GEMINI_BASE_URL": url}


def path(model: str) -> str:
    return f"/v1beta/models/{model}:generateContent"


def response(parts: list[dict[str, Any]], *, finish_reason: str = "STOP") -> dict[str, Any]:
    return {
        "candidates": [
            {
                "content": {"parts": parts, "role": "model"},
                "finishReason": finish_reason,
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": 8,
            "candidatesTokenCount": 12,
            "totalTokenCount": 20,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 8}],
        },
        "modelVersion": REPORTED_MODEL,
        "responseId": "RPCiaPzkKdqYz7IP6tj4qAg",
    }


def answer(text: str) -> Reply:
    return Reply(200, response([{"text": text}]))


def plain(*texts: str) -> Reply:
    return Reply(200, response([{"text": piece} for piece in texts]))


def failure(
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
    *,
    retry_delay: str | None = None,
) -> Reply:
    details = [{"@type": RETRY_INFO, "retryDelay": retry_delay}] if retry_delay else []
    error = {
        "code": status,
        "message": message,
        "status": STATUSES.get(status, "UNKNOWN"),
        "details": details,
    }
    return Reply(status, {"error": error}, headers or {})


def unusable() -> dict[str, Reply]:
    blocked = {"candidates": [], "promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}}
    to_be_continued = response([{"text": '{"entities": ['}], finish_reason="CONTINUATION")
    to_be_continued["candidates"][0]["continuationToken"] = "Y29udGludWU="  # the SDK would follow
    return {
        "a blocked prompt": Reply(200, blocked),
        "no candidates": Reply(200, {"usageMetadata": {"promptTokenCount": 8}}),
        "cut at the token limit": Reply(
            200, response([{"text": '{"entities": ['}], finish_reason="MAX_TOKENS")
        ),
        "to be continued": Reply(200, to_be_continued),
        "stopped for safety": Reply(200, response([], finish_reason="SAFETY")),
        "only a thought": Reply(200, response([{"text": "Let me think.", "thought": True}])),
        "not JSON": Reply(200, b"Service Unavailable"),
    }


def key(request: Recorded) -> str | None:
    return request.headers.get("x-goog-api-key")


def model(request: Recorded) -> str:
    return request.path.removeprefix("/v1beta/models/").partition(":")[0]


def system(request: Recorded) -> str:
    (part,) = request.body["systemInstruction"]["parts"]
    return str(part["text"])


def schema(request: Recorded) -> object:
    config = request.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    return config["responseJsonSchema"]


def structured(request: Recorded) -> bool:
    config = request.body["generationConfig"]
    return "responseJsonSchema" in config or "responseMimeType" in config


def turns(request: Recorded) -> list[tuple[str, str]]:
    return [(c["role"], c["parts"][0]["text"]) for c in request.body["contents"]]


def sampling(request: Recorded) -> Mapping[str, Any]:
    config: Mapping[str, Any] = request.body["generationConfig"]
    return config
