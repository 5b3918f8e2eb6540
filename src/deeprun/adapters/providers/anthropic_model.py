"""Anthropic's Messages API. Structured output is a forced tool call: the model must answer by
calling one tool whose input schema is the answer schema, and the tool's input is the answer.

This SDK has no ``temperature`` argument any more; when the capability table says the model takes
one, it travels in the request body. The SDK builds the answer without validating it, so the
fields we read are validated here.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic
from anthropic.types import MessageParam, ToolChoiceParam, ToolParam
from pydantic import BaseModel

from deeprun.adapters.providers.failures import MALFORMED, retry_after
from deeprun.adapters.providers.vendor import VendorModel
from deeprun.contracts.planning import ModelReply, ModelRequest

DEFAULT_BASE_URL = "https://api.anthropic.com"
TOOL_DESCRIPTION = "Give your whole answer as this tool's input, following its input schema."
CUT_SHORT = frozenset({"max_tokens", "model_context_window_exceeded"})


class _Block(BaseModel):
    type: str
    text: str | None = None
    name: str | None = None
    input: dict[str, Any] | None = None


class _Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0


class _Message(BaseModel):
    model: str | None = None
    content: list[_Block]
    stop_reason: str | None = None
    usage: _Usage | None = None


class AnthropicModel(VendorModel):
    """One model behind the Anthropic SDK: one request per ``complete``, SDK retries off."""

    PROVIDER = "anthropic"

    def __init__(self, model: str, api_key: str, base_url: str | None, timeout: float) -> None:
        super().__init__(model, api_key)
        self._client = anthropic.Anthropic(
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout,
            max_retries=0,
        )

    def complete(self, request: ModelRequest) -> ModelReply:
        tools, choice = _forced_tool(request)
        temperature = None if request.temperature is None else {"temperature": request.temperature}
        try:
            message = self._client.messages.create(
                model=self._model,
                system=request.system,
                messages=_messages(request),
                tools=tools,
                tool_choice=choice,
                max_tokens=request.max_output_tokens,
                extra_body=temperature,
            )
            answer = _Message.model_validate(message, from_attributes=True)
        except anthropic.APIStatusError as error:
            wait = retry_after(error.response.headers)
            raise self._fail.status(error.status_code, error.api_message, wait) from error
        except anthropic.APITimeoutError as error:
            raise self._fail.unreachable("the request timed out") from error
        except anthropic.APIConnectionError as error:
            raise self._fail.unreachable(str(error.__cause__ or error)) from error
        except (anthropic.AnthropicError, *MALFORMED) as error:
            raise self._fail.malformed(error) from error
        return self._reply(answer, request)

    def _reply(self, answer: _Message, request: ModelRequest) -> ModelReply:
        if answer.stop_reason == "refusal":
            raise self._fail.unusable("the model refused")
        if answer.stop_reason in CUT_SHORT:
            raise self._fail.unusable(f"the answer was cut short ({answer.stop_reason})")
        text = self._text(answer, request)
        usage = answer.usage or _Usage()
        return ModelReply(
            text=text,
            model=answer.model or self._model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
        )

    def _text(self, answer: _Message, request: ModelRequest) -> str:
        """The forced tool's input as JSON, else the text blocks joined: a model that answered
        in prose instead is re-asked by review, like any other answer that is not JSON."""
        if request.answer_schema is not None:
            name = request.schema_name
            inputs = [b.input for b in answer.content if b.type == "tool_use" and b.name == name]
            if inputs and inputs[0] is not None:
                return json.dumps(inputs[0])
        text = "".join(block.text or "" for block in answer.content if block.type == "text")
        if not text:
            raise self._fail.unusable("the answer has neither the tool's input nor text")
        return text


def _messages(request: ModelRequest) -> list[MessageParam]:
    turns: list[MessageParam] = []
    for message in request.messages:
        if message.role == "user":
            turns.append({"role": "user", "content": message.content})
        else:
            turns.append({"role": "assistant", "content": message.content})
    return turns


def _forced_tool(
    request: ModelRequest,
) -> tuple[list[ToolParam] | anthropic.Omit, ToolChoiceParam | anthropic.Omit]:
    if request.answer_schema is None:
        return anthropic.omit, anthropic.omit
    tool: ToolParam = {
        "name": request.schema_name,
        "description": TOOL_DESCRIPTION,
        "input_schema": dict(request.answer_schema),
    }
    return [tool], {"type": "tool", "name": request.schema_name}
