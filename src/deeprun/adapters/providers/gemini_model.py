"""Google's Gemini API through google-genai's ``generate_content``.

The SDK's extras are switched off so one ``complete`` is one request: no retries, no automatic
function calling, no automatic continuation (which would send follow-up requests). Its HTTP
client is ours, so transport errors are httpx's whatever GOOGLE_GENAI_HTTP_CLIENT says.
"""

from __future__ import annotations

import weakref
from typing import Any

import httpx
from google import genai
from google.genai import errors, types

from deeprun.adapters.providers.failures import MALFORMED, retry_after, seconds
from deeprun.adapters.providers.vendor import VendorModel
from deeprun.contracts.planning import ModelReply, ModelRequest

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/"
ROLES = {"user": "user", "assistant": "model"}
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


class GeminiModel(VendorModel):
    """One model behind the google-genai SDK: one request per ``complete``."""

    PROVIDER = "gemini"

    def __init__(self, model: str, api_key: str, base_url: str | None, timeout: float) -> None:
        super().__init__(model, api_key)
        http = httpx.Client(timeout=timeout)
        weakref.finalize(self, http.close)
        self._client = genai.Client(
            vertexai=False,
            api_key=api_key,
            http_options=types.HttpOptions(
                base_url=base_url or DEFAULT_BASE_URL,
                timeout=round(timeout * 1000),  # milliseconds
                retry_options=types.HttpRetryOptions(attempts=1),
                httpx_client=http,
            ),
        )

    def complete(self, request: ModelRequest) -> ModelReply:
        try:
            response = self._client.models.generate_content(
                model=self._model, contents=_contents(request), config=_config(request)
            )
        except errors.APIError as error:
            raise self._fail.status(error.code, error.message, _wait(error)) from error
        except httpx.TimeoutException as error:
            raise self._fail.unreachable("the request timed out") from error
        except httpx.TransportError as error:
            raise self._fail.unreachable(str(error)) from error
        except (httpx.HTTPError, *MALFORMED) as error:
            raise self._fail.malformed(error) from error
        except ValueError as error:  # the SDK refuses before sending (a model name it rejects)
            raise self._fail.unusable(f"the SDK refused the request: {error}") from error
        return self._reply(response)

    def _reply(self, response: types.GenerateContentResponse) -> ModelReply:
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason is not None:
            raise self._fail.unusable(f"the prompt was blocked ({feedback.block_reason.value})")
        if not response.candidates:
            raise self._fail.unusable("the answer has no candidates")
        candidate = response.candidates[0]
        reason = candidate.finish_reason
        if reason is not None and reason != types.FinishReason.STOP:
            raise self._fail.unusable(f"the answer stopped early ({reason.value})")
        parts = candidate.content.parts if candidate.content is not None else None
        text = "".join(part.text or "" for part in parts or () if not part.thought)
        if not text:
            raise self._fail.unusable("the answer is empty")
        usage = response.usage_metadata
        return ModelReply(
            text=text,
            model=response.model_version or self._model,
            input_tokens=(usage.prompt_token_count or 0) if usage else 0,
            output_tokens=(usage.candidates_token_count or 0) if usage else 0,
        )


def _contents(request: ModelRequest) -> list[types.Content]:
    return [
        types.Content(role=ROLES[message.role], parts=[types.Part(text=message.content)])
        for message in request.messages
    ]


def _config(request: ModelRequest) -> types.GenerateContentConfig:
    schema = request.answer_schema
    return types.GenerateContentConfig(
        system_instruction=request.system,
        temperature=request.temperature,
        max_output_tokens=request.max_output_tokens,
        response_mime_type=None if schema is None else "application/json",
        response_json_schema=None if schema is None else dict(schema),
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        automatic_continuation=False,
    )


def _wait(error: errors.APIError) -> float | None:
    """Retry-After if sent, else the RetryInfo delay ("2s") Google puts in a 429's details."""
    wait = retry_after(error.response.headers) if error.response is not None else None
    return wait if wait is not None else _retry_delay(error.details)


def _retry_delay(body: Any) -> float | None:
    error = body.get("error") if isinstance(body, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    for detail in details if isinstance(details, list) else ():
        if isinstance(detail, dict) and detail.get("@type") == RETRY_INFO:
            return seconds(str(detail.get("retryDelay", "")).removesuffix("s"))
    return None
