"""What every AI provider implements: a completion, or a stream of one, with tools."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

from trident.core.ai.tools import ToolRegistry
from trident.core.ai.types import ChatMessage, ChatResult, StreamEvent


class AIProvider(Protocol):
    name: str

    async def complete(
        self,
        messages: list[ChatMessage],
        *,
        model: str,
        tools: ToolRegistry | None = None,
        context: Any = None,
        system: str | None = None,
    ) -> ChatResult: ...

    def stream(
        self,
        messages: list[ChatMessage],
        *,
        model: str,
        tools: ToolRegistry | None = None,
        context: Any = None,
        system: str | None = None,
    ) -> AsyncIterator[StreamEvent]: ...
