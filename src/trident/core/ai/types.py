"""The shapes every AI provider speaks: messages in, a result or a stream out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]


class AIProviderError(Exception):
    """The model endpoint failed or refused; ``status`` is what the API answers."""

    def __init__(self, message: str, *, status: int = 502) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class UnknownModelError(LookupError):
    def __init__(self, requested: str, available: list[str]) -> None:
        super().__init__(f"unknown model {requested!r}")
        self.requested = requested
        self.available = available


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )


@dataclass(frozen=True, slots=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    result: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChatResult:
    content: str
    #: the model that really answered (an endpoint may name a more specific version)
    model: str
    provider: str
    usage: Usage
    tool_calls: list[ToolCall] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """A piece of a streamed answer; the last event has ``done`` and the totals."""

    content: str = ""
    done: bool = False
    usage: Usage | None = None
    model: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    provider: str
    name: str
    description: str
    context_window: int
    supports_tools: bool = True
    supports_streaming: bool = True
    default: bool = False
