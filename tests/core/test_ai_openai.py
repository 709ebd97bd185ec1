"""The OpenAI-compatible provider through the official SDK, against a fake endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.fakes.openai import ANSWERING_MODEL, FakeOpenAI
from tests.fakes.server import serving
from trident.core.ai import (
    AIProviderError,
    ChatMessage,
    OpenAICompatibleProvider,
    Tool,
    ToolRegistry,
)


async def get_plan(arguments: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"summary": f"Pro plan for org {context}", "arguments": arguments}


TOOLS = ToolRegistry(
    [
        Tool(
            name="get_plan",
            description="The org's plan",
            parameters={"type": "object", "properties": {}},
            handler=get_plan,
        )
    ]
)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeOpenAI, OpenAICompatibleProvider]]:
    endpoint = FakeOpenAI()
    async with serving(endpoint.app()) as base:
        yield (
            endpoint,
            OpenAICompatibleProvider(
                name="openai", api_key="sk-test", base_url=f"{base}/v1", max_retries=0
            ),
        )


async def test_plain_answer_names_the_model_that_answered(fake) -> None:
    endpoint, provider = fake
    result = await provider.complete(
        [ChatMessage("user", "Hello")], model="gpt-4o-mini", system="Be brief."
    )
    assert result.content == "Hello from the fake model!"
    assert result.model == ANSWERING_MODEL
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (11, 7)
    assert endpoint.requests[0]["messages"][0] == {"role": "system", "content": "Be brief."}
    assert endpoint.requests[0]["model"] == "gpt-4o-mini"


async def test_tool_calls_are_run_and_answered(fake) -> None:
    endpoint, provider = fake
    result = await provider.complete(
        [ChatMessage("user", "Which plan?")], model="m", tools=TOOLS, context=42
    )
    assert [(c.name, c.arguments) for c in result.tool_calls] == [("get_plan", {"x": 1})]
    assert result.content == "Tool says: Pro plan for org 42"
    assert result.usage.total_tokens == 36  # both rounds are metered
    second = endpoint.requests[1]["messages"]
    assert second[-2]["tool_calls"][0]["function"]["name"] == "get_plan"
    assert second[-1]["role"] == "tool"


async def test_streaming_with_a_tool_call(fake) -> None:
    _, provider = fake
    events = [
        e
        async for e in provider.stream(
            [ChatMessage("user", "Which plan?")], model="m", tools=TOOLS, context=7
        )
    ]
    text = "".join(e.content for e in events if not e.done)
    assert text.strip() == "Tool says: Pro plan for org 7"
    last = events[-1]
    assert last.done and last.model == ANSWERING_MODEL
    assert last.usage is not None and last.usage.total_tokens == 36
    assert [c.name for c in last.tool_calls] == ["get_plan"]


async def test_endpoint_errors_become_provider_errors(fake) -> None:
    endpoint, provider = fake
    endpoint.fail_with = 500
    with pytest.raises(AIProviderError) as failed:
        await provider.complete([ChatMessage("user", "Hello")], model="m")
    assert failed.value.status == 502
    endpoint.fail_with = 429
    with pytest.raises(AIProviderError) as limited:
        await provider.complete([ChatMessage("user", "Hello")], model="m")
    assert limited.value.status == 503
