"""Any OpenAI-compatible endpoint (OpenAI, Gemini's compatible API, Ollama, vLLM)
through the official ``openai`` SDK, with tool calling to the app's tools."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import openai
from openai import AsyncOpenAI

from trident.core.ai.tools import ToolRegistry, decode_arguments
from trident.core.ai.types import (
    AIProviderError,
    ChatMessage,
    ChatResult,
    StreamEvent,
    ToolCall,
    Usage,
)

MAX_TOOL_ROUNDS = 4


def _failure(exc: openai.OpenAIError) -> AIProviderError:
    if isinstance(exc, openai.APITimeoutError):
        return AIProviderError("The AI model did not answer in time.", status=504)
    if isinstance(exc, openai.RateLimitError):
        return AIProviderError("The AI model is rate limited; retry shortly.", status=503)
    if isinstance(exc, openai.APIStatusError):
        return AIProviderError(f"The AI model refused the request ({exc.status_code}).", status=502)
    return AIProviderError("The AI model could not be reached.", status=502)


def _usage(raw: Any) -> Usage:
    if raw is None:
        return Usage()
    return Usage(raw.prompt_tokens or 0, raw.completion_tokens or 0)


class OpenAICompatibleProvider:
    def __init__(
        self,
        *,
        name: str,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
    ) -> None:
        self.name = name
        self.client = AsyncOpenAI(
            api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=max_retries
        )

    @staticmethod
    def _messages(messages: list[ChatMessage], system: str | None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
        out.extend({"role": m.role, "content": m.content} for m in messages)
        return out

    async def _run_tools(
        self,
        conversation: list[dict[str, Any]],
        requested: list[tuple[str, str, str]],
        tools: ToolRegistry,
        context: Any,
    ) -> list[ToolCall]:
        """Answer the model's tool calls and add them to the conversation."""
        conversation.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": cid, "type": "function", "function": {"name": name, "arguments": args}}
                    for cid, name, args in requested
                ],
            }
        )
        calls = []
        for call_id, name, raw in requested:
            call = await tools.call(name, decode_arguments(raw), context)
            calls.append(call)
            conversation.append(
                {
                    "role": "tool",
                    "tool_call_id": call_id,
                    "content": json.dumps(call.result, default=str),
                }
            )
        return calls

    async def complete(
        self,
        messages: list[ChatMessage],
        *,
        model: str,
        tools: ToolRegistry | None = None,
        context: Any = None,
        system: str | None = None,
    ) -> ChatResult:
        conversation = self._messages(messages, system)
        usage, calls = Usage(), []
        specs = tools.openai_specs() if tools else []
        for _round in range(MAX_TOOL_ROUNDS + 1):
            kwargs: dict[str, Any] = {"model": model, "messages": conversation}
            if specs and _round < MAX_TOOL_ROUNDS:
                kwargs["tools"] = specs
            try:
                response = await self.client.chat.completions.create(**kwargs)
            except openai.OpenAIError as exc:
                raise _failure(exc)
            usage = usage + _usage(response.usage)
            if not response.choices:
                raise AIProviderError("The AI model returned no answer.")
            message = response.choices[0].message
            requested = [
                (c.id, c.function.name, c.function.arguments)
                for c in (message.tool_calls or [])
                if getattr(c, "function", None) is not None
            ]
            if requested and tools is not None:
                calls += await self._run_tools(conversation, requested, tools, context)
                continue
            return ChatResult(
                content=message.content or "",
                model=response.model or model,
                provider=self.name,
                usage=usage,
                tool_calls=calls,
            )
        raise AIProviderError("The AI model kept calling tools without answering.")

    async def stream(
        self,
        messages: list[ChatMessage],
        *,
        model: str,
        tools: ToolRegistry | None = None,
        context: Any = None,
        system: str | None = None,
    ) -> AsyncIterator[StreamEvent]:
        conversation = self._messages(messages, system)
        usage, calls = Usage(), []
        specs = tools.openai_specs() if tools else []
        answered_by = model
        for _round in range(MAX_TOOL_ROUNDS + 1):
            kwargs: dict[str, Any] = {
                "model": model,
                "messages": conversation,
                "stream": True,
                "stream_options": {"include_usage": True},
            }
            if specs and _round < MAX_TOOL_ROUNDS:
                kwargs["tools"] = specs
            pending: dict[int, list[str]] = {}  # index -> [id, name, arguments]
            try:
                chunks = await self.client.chat.completions.create(**kwargs)
                async for chunk in chunks:
                    answered_by = chunk.model or answered_by
                    if chunk.usage is not None:
                        usage = usage + _usage(chunk.usage)
                    for choice in chunk.choices:
                        delta = choice.delta
                        for tc in delta.tool_calls or []:
                            slot = pending.setdefault(tc.index, ["", "", ""])
                            slot[0] = tc.id or slot[0]
                            if tc.function is not None:
                                slot[1] += tc.function.name or ""
                                slot[2] += tc.function.arguments or ""
                        if delta.content:
                            yield StreamEvent(content=delta.content)
            except openai.OpenAIError as exc:
                raise _failure(exc)
            if pending and tools is not None:
                requested = [(s[0], s[1], s[2]) for _, s in sorted(pending.items())]
                calls += await self._run_tools(conversation, requested, tools, context)
                continue
            yield StreamEvent(done=True, usage=usage, model=answered_by, tool_calls=calls)
            return
        raise AIProviderError("The AI model kept calling tools without answering.")
