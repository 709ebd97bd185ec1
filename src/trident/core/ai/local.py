"""The ``local`` assistant: deterministic, offline, and it really uses the app's tools.

It reads the last user message, extracts entities (dates, times, guests, phones,
emails, places), calls every tool whose intents the message matches with the
arguments it found, and answers with the tools' summaries.  When a tool needs an
argument the message lacks, it asks for it instead of guessing.  It streams its
answer in word-sized pieces, like an LLM, and the pieces join to exactly what
``complete`` returns.  Tokens are counted with :func:`count_tokens`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

from trident.core.ai.entities import extract_entities
from trident.core.ai.tokens import count_tokens
from trident.core.ai.tools import ToolRegistry
from trident.core.ai.types import ChatMessage, ChatResult, ModelInfo, StreamEvent, ToolCall, Usage

LOCAL_MODEL = "trident-local"
GREETING = re.compile(r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|howdy)\b", re.I)
THANKS = re.compile(r"\b(thanks|thank you|thx)\b", re.I)
_PIECES = re.compile(r"\S+\s*|\s+")

PROMPTS = {
    "date": "which date you have in mind",
    "time": "what time you would like to start",
    "guests": "how many guests to expect",
    "guest_count": "how many guests to expect",
    "email": "an email address to reach you",
    "phone": "a phone number to reach you",
    "location": "where the event will be",
    "zip_code": "the ZIP code of the venue",
}


class LocalAssistant:
    name = "local"

    def __init__(
        self,
        *,
        chunk_delay: float = 0.0,
        today: Callable[[], date],
        assistant_name: str = "Trident assistant",
    ) -> None:
        self.chunk_delay = chunk_delay
        self.today = today
        self.assistant_name = assistant_name

    def models(self) -> list[ModelInfo]:
        return [
            ModelInfo(
                id=LOCAL_MODEL,
                provider=self.name,
                name="Trident local assistant",
                description="Offline, deterministic assistant that calls the app's own tools.",
                context_window=8192,
            )
        ]

    async def _answer(
        self,
        messages: list[ChatMessage],
        tools: ToolRegistry | None,
        context: Any,
    ) -> tuple[str, list[ToolCall]]:
        text = next((m.content for m in reversed(messages) if m.role == "user"), "")
        entities = extract_entities(text, self.today())
        arguments = entities.as_arguments()
        calls: list[ToolCall] = []
        missing: list[str] = []
        for tool in tools.matching(text) if tools else []:
            wanted = {k: v for k, v in arguments.items() if k in tool.argument_names}
            absent = [name for name in tool.required if name not in wanted]
            if absent:
                missing.extend(n for n in absent if n not in missing)
                continue
            calls.append(await tools.call(tool.name, wanted, context))  # type: ignore[union-attr]
        parts = [str(c.result.get("summary") or c.result.get("error") or "") for c in calls]
        parts = [p for p in parts if p]
        if missing:
            asks = [PROMPTS.get(name, name.replace("_", " ")) for name in missing]
            parts.append("To help with that, please tell me " + _join(asks) + ".")
        if not parts:
            parts.append(self._small_talk(text, tools))
        return "\n\n".join(parts), calls

    def _small_talk(self, text: str, tools: ToolRegistry | None) -> str:
        skills = _join(
            [tool.description[:1].lower() + tool.description[1:] for tool in tools or []]
        )
        offer = f" I can help with {skills}." if skills else ""
        if THANKS.search(text):
            return "You're welcome!" + offer
        if GREETING.search(text):
            return f"Hello! I'm the {self.assistant_name}.{offer} What would you like to know?"
        return f"I'm not sure I understood that.{offer} Could you rephrase your question?"

    def _usage(
        self, system: str | None, messages: list[ChatMessage], calls: list[ToolCall], answer: str
    ) -> Usage:
        prompt = count_tokens(system or "") + sum(count_tokens(m.content) for m in messages)
        prompt += sum(count_tokens(str(c.result)) for c in calls)
        return Usage(prompt_tokens=prompt, completion_tokens=count_tokens(answer))

    async def complete(
        self,
        messages: list[ChatMessage],
        *,
        model: str = LOCAL_MODEL,
        tools: ToolRegistry | None = None,
        context: Any = None,
        system: str | None = None,
    ) -> ChatResult:
        answer, calls = await self._answer(messages, tools, context)
        return ChatResult(
            content=answer,
            model=LOCAL_MODEL,
            provider=self.name,
            usage=self._usage(system, messages, calls, answer),
            tool_calls=calls,
        )

    async def stream(
        self,
        messages: list[ChatMessage],
        *,
        model: str = LOCAL_MODEL,
        tools: ToolRegistry | None = None,
        context: Any = None,
        system: str | None = None,
    ) -> AsyncIterator[StreamEvent]:
        answer, calls = await self._answer(messages, tools, context)
        for piece in _PIECES.findall(answer):
            if self.chunk_delay:
                await asyncio.sleep(self.chunk_delay)
            yield StreamEvent(content=piece)
        yield StreamEvent(
            done=True,
            usage=self._usage(system, messages, calls, answer),
            model=LOCAL_MODEL,
            tool_calls=calls,
        )


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
