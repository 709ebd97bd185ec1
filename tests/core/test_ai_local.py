"""The local assistant and the model catalog."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from trident.core.ai import (
    LOCAL_MODEL,
    ChatMessage,
    LocalAssistant,
    Tool,
    ToolRegistry,
    UnknownModelError,
    count_tokens,
    create_model_catalog,
)
from trident.core.config import CoreSettings

TODAY = date(2026, 11, 23)


async def availability(arguments: dict[str, Any], context: Any) -> dict[str, Any]:
    context.append(arguments)
    return {"summary": f"{arguments['date']} has slots at 12:00 and 18:00.", "slots": 2}


async def broken(arguments: dict[str, Any], context: Any) -> dict[str, Any]:
    raise ValueError("The calendar is closed that day.")


TOOLS = ToolRegistry(
    [
        Tool(
            name="check_availability",
            description="Check which time slots are free on a date",
            parameters={
                "type": "object",
                "properties": {"date": {"type": "string"}, "guests": {"type": "integer"}},
            },
            handler=availability,
            intents=("available", "availability", "free on"),
            required=("date",),
        ),
        Tool(
            name="closed",
            description="Look up holidays",
            parameters={"type": "object", "properties": {}},
            handler=broken,
            intents=("holiday",),
        ),
    ]
)


def ask(text: str) -> list[ChatMessage]:
    return [ChatMessage("user", text)]


@pytest.fixture
def assistant() -> LocalAssistant:
    return LocalAssistant(today=lambda: TODAY)


async def test_matching_tool_is_called_with_extracted_arguments(assistant: LocalAssistant) -> None:
    calls: list[dict[str, Any]] = []
    result = await assistant.complete(
        ask("Is Dec 5 available for 20 guests at 6pm?"), tools=TOOLS, context=calls
    )
    # Only the declared parameters reach the tool: no time, no guest_count.
    assert calls == [{"date": "2026-12-05", "guests": 20}]
    assert [c.name for c in result.tool_calls] == ["check_availability"]
    assert result.content == "2026-12-05 has slots at 12:00 and 18:00."
    assert (result.model, result.provider) == (LOCAL_MODEL, "local")


async def test_missing_required_argument_is_asked_for(assistant: LocalAssistant) -> None:
    calls: list[dict[str, Any]] = []
    result = await assistant.complete(ask("What is available?"), tools=TOOLS, context=calls)
    assert calls == []
    assert result.tool_calls == []
    assert result.content == "To help with that, please tell me which date you have in mind."


async def test_a_failing_tool_is_reported_not_raised(assistant: LocalAssistant) -> None:
    result = await assistant.complete(ask("Any holiday closures?"), tools=TOOLS, context=None)
    assert result.tool_calls[0].result["error"] == "The calendar is closed that day."
    assert result.content == "The calendar is closed that day."


async def test_greeting_offers_the_tools(assistant: LocalAssistant) -> None:
    result = await assistant.complete(ask("Hello!"), tools=TOOLS)
    assert result.content.startswith("Hello! I'm the Trident assistant.")
    assert "check which time slots are free on a date" in result.content
    assert result.tool_calls == []


async def test_usage_counts_prompt_and_answer(assistant: LocalAssistant) -> None:
    result = await assistant.complete(ask("Hello!"), system="Be brief.")
    assert result.usage.prompt_tokens == count_tokens("Be brief.") + count_tokens("Hello!")
    assert result.usage.completion_tokens == count_tokens(result.content)
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens


async def test_stream_pieces_join_to_the_complete_answer(assistant: LocalAssistant) -> None:
    question = ask("Is tomorrow available?")
    complete = await assistant.complete(question, tools=TOOLS, context=[])
    events = [e async for e in assistant.stream(question, tools=TOOLS, context=[])]
    pieces = [e.content for e in events if not e.done]
    assert len(pieces) > 3
    assert "".join(pieces) == complete.content
    assert events[-1].done and events[-1].usage == complete.usage
    assert events[-1].model == LOCAL_MODEL


def settings(**values: Any) -> CoreSettings:
    return CoreSettings(_env_file=None, environment="test", **values)  # type: ignore[arg-type]


def test_catalog_without_keys_offers_only_the_local_model() -> None:
    catalog = create_model_catalog(settings())
    assert [(m.id, m.default) for m in catalog.models()] == [(LOCAL_MODEL, True)]
    default = catalog.resolve(None)
    assert (default.model_id, default.fallback) == (LOCAL_MODEL, False)
    gemini = catalog.resolve("gemini")
    assert (gemini.model_id, gemini.provider.name, gemini.fallback) == (LOCAL_MODEL, "local", True)


def test_catalog_with_keys_defaults_to_the_real_model() -> None:
    catalog = create_model_catalog(
        settings(openai_api_key="sk-test", gemini_api_key="g-test", openai_model="gpt-4o-mini")
    )
    models = {m.id: m for m in catalog.models()}
    assert set(models) == {"gpt-4o-mini", "gemini-2.0-flash", LOCAL_MODEL}
    assert [m.id for m in models.values() if m.default] == ["gpt-4o-mini"]
    gemini = catalog.resolve("gemini")
    assert (gemini.model_id, gemini.provider.name, gemini.fallback) == (
        "gemini-2.0-flash",
        "gemini",
        False,
    )
    assert catalog.resolve("trident-local").provider.name == "local"


def test_unknown_model_lists_what_is_available() -> None:
    with pytest.raises(UnknownModelError) as unknown:
        create_model_catalog(settings()).resolve("gpt-17-ultra")
    assert LOCAL_MODEL in unknown.value.available
    assert "gemini" in unknown.value.available
