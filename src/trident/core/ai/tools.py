"""Tools: the app's real functions the assistant may call.

One declaration serves both assistants: an OpenAI-compatible model sees the JSON
schema and decides to call; the local assistant matches the user's words
against ``intents`` and fills the arguments from the entities it extracted.
A handler returns a JSON-able dict whose ``summary`` is a sentence for people.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from trident.core.ai.types import ToolCall

log = logging.getLogger("trident.ai.tools")

ToolHandler = Callable[[dict[str, Any], Any], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    handler: ToolHandler
    #: words or phrases that make the local assistant call this tool
    intents: tuple[str, ...] = ()
    #: argument names the local assistant must have before calling (else it asks)
    required: tuple[str, ...] = ()
    _patterns: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        patterns = tuple(
            re.compile(r"\b" + re.escape(phrase.lower()) + r"\b") for phrase in self.intents
        )
        object.__setattr__(self, "_patterns", patterns)

    def matches(self, text: str) -> bool:
        lowered = text.lower()
        return any(p.search(lowered) for p in self._patterns)

    @property
    def argument_names(self) -> tuple[str, ...]:
        return tuple((self.parameters.get("properties") or {}).keys())

    def openai_spec(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters or {"type": "object", "properties": {}},
            },
        }


class ToolRegistry:
    def __init__(self, tools: Iterable[Tool]) -> None:
        self._tools = {tool.name: tool for tool in tools}

    def __iter__(self) -> Any:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def matching(self, text: str) -> list[Tool]:
        return [tool for tool in self._tools.values() if tool.matches(text)]

    def openai_specs(self) -> list[dict[str, Any]]:
        return [tool.openai_spec() for tool in self._tools.values()]

    async def call(self, name: str, arguments: dict[str, Any], context: Any) -> ToolCall:
        """Run a tool; a failure becomes a result the model can read, never a crash."""
        tool = self._tools.get(name)
        if tool is None:
            return ToolCall(name, arguments, {"error": f"There is no tool named {name}."})
        try:
            result = await tool.handler(arguments, context)
        except (ValueError, LookupError) as exc:
            result = {"error": str(exc), "summary": str(exc)}
        return ToolCall(name, arguments, result)


def decode_arguments(raw: str | None) -> dict[str, Any]:
    """A model's JSON arguments; malformed JSON counts as no arguments."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        log.warning("model sent malformed tool arguments: %.200s", raw)
        return {}
    return value if isinstance(value, dict) else {}
