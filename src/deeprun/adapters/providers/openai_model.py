"""OpenAI's Chat Completions API, and any server that speaks it (vLLM, Ollama, LM Studio).

Chat Completions rather than the Responses API because the OpenAI-compatible servers implement
it. The SDK builds the answer without validating it, so the fields we read are validated here:
a malformed body is a ProviderError, and a new enum value elsewhere in the answer costs nothing.
"""

from __future__ import annotations

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.chat.completion_create_params import ResponseFormat
from pydantic import BaseModel

from deeprun.adapters.providers.failures import MALFORMED, retry_after
from deeprun.adapters.providers.vendor import VendorModel
from deeprun.contracts.planning import ModelReply, ModelRequest

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class _Message(BaseModel):
    content: str | None = None
    refusal: str | None = None


class _Choice(BaseModel):
    message: _Message
    finish_reason: str | None = None


class _Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Completion(BaseModel):
    model: str | None = None
    choices: list[_Choice]
    usage: _Usage | None = None


class OpenAIModel(VendorModel):
    """One model behind the OpenAI SDK: one request per ``complete``, SDK retries off."""

    PROVIDER = "openai"

    def __init__(self, model: str, api_key: str, base_url: str | None, timeout: float) -> None:
        super().__init__(model, api_key)
        self._client = openai.OpenAI(
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout,
            max_retries=0,
        )

    def complete(self, request: ModelRequest) -> ModelReply:
        try:
            completion = self._client.chat.completions.create(
                model=self._model,
                messages=_messages(request),
                response_format=_response_format(request),
                temperature=openai.omit if request.temperature is None else request.temperature,
                max_completion_tokens=request.max_output_tokens,
            )
            answer = _Completion.model_validate(completion, from_attributes=True)
        except openai.APIStatusError as error:
            detail = _detail(error.body) or error.message
            wait = retry_after(error.response.headers)
            raise self._fail.status(error.status_code, detail, wait) from error
        except openai.APITimeoutError as error:
            raise self._fail.unreachable("the request timed out") from error
        except openai.APIConnectionError as error:
            raise self._fail.unreachable(str(error.__cause__ or error)) from error
        except (openai.OpenAIError, *MALFORMED) as error:
            raise self._fail.malformed(error) from error
        return self._reply(answer)

    def _reply(self, answer: _Completion) -> ModelReply:
        if not answer.choices:
            raise self._fail.unusable("the answer has no choices")
        choice = answer.choices[0]
        if choice.message.refusal:
            raise self._fail.unusable(f"the model refused: {choice.message.refusal}")
        if choice.finish_reason in {"length", "content_filter"}:
            raise self._fail.unusable(f"the answer was cut short ({choice.finish_reason})")
        if not choice.message.content:
            raise self._fail.unusable("the answer is empty")
        usage = answer.usage or _Usage()
        return ModelReply(
            text=choice.message.content,
            model=answer.model or self._model,
            input_tokens=usage.prompt_tokens,
            output_tokens=usage.completion_tokens,
        )


def _messages(request: ModelRequest) -> list[ChatCompletionMessageParam]:
    turns: list[ChatCompletionMessageParam] = [{"role": "system", "content": request.system}]
    for message in request.messages:
        if message.role == "user":
            turns.append({"role": "user", "content": message.content})
        else:
            turns.append({"role": "assistant", "content": message.content})
    return turns


def _response_format(request: ModelRequest) -> ResponseFormat | openai.Omit:
    if request.answer_schema is None:
        return openai.omit
    return {
        "type": "json_schema",
        "json_schema": {
            "name": request.schema_name,
            "schema": dict(request.answer_schema),
            "strict": False,
        },
    }


def _detail(body: object) -> str | None:
    """The ``message`` of the vendor's error object (the SDK already unwrapped ``error``)."""
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) else None
