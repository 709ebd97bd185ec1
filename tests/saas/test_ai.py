from __future__ import annotations

import json
from datetime import date

import pytest

from tests.saas.helpers import Client


def sse_events(text: str) -> list[str]:
    return [line[len("data: ") :] for line in text.split("\n") if line.startswith("data: ")]


async def test_chat_answers_with_local_model_and_says_so(client: Client) -> None:
    owner = await client.actor()
    response = await client.post(
        "/api/v1/ai/chat",
        json={"message": "Hello, AI!", "model": "gemini", "stream": False},
        headers=owner.headers(),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["model"] == "trident-local"
    assert body["provider"] == "local"
    assert body["requested_model"] == "gemini"
    assert body["fallback"] is True
    assert body["response"]
    assert body["usage"]["total_tokens"] == (
        body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
    )
    assert body["quota"]["requests_used"] == 1


async def test_chat_uses_org_tools(client: Client) -> None:
    owner = await client.actor()
    response = await client.post(
        "/api/v1/ai/chat", json={"message": "What plan are we on?"}, headers=owner.headers()
    )
    assert response.status_code == 200
    body = response.json()
    assert [c["name"] for c in body["tool_calls"]] == ["get_plan"]
    assert "Free plan" in body["response"]


async def test_streaming_chat_sends_content_events_then_done(client: Client) -> None:
    owner = await client.actor()
    complete = await client.post(
        "/api/v1/ai/chat", json={"message": "Hello!"}, headers=owner.headers()
    )
    response = await client.post(
        "/api/v1/ai/chat/stream",
        json={"message": "Hello!", "model": "gemini", "stream": True},
        headers=owner.headers(),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["x-ai-model"] == "trident-local"
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert len(chunks) > 1
    assert all(set(c) == {"content"} for c in chunks)
    assert "".join(c["content"] for c in chunks) == complete.json()["response"]


async def test_stream_flag_on_chat_streams(client: Client) -> None:
    owner = await client.actor()
    response = await client.post(
        "/api/v1/ai/chat", json={"message": "Hi", "stream": True}, headers=owner.headers()
    )
    assert response.status_code == 200
    assert sse_events(response.text)[-1] == "[DONE]"


async def test_streamed_usage_is_metered(client: Client, today: date) -> None:
    owner = await client.actor()
    await client.post("/api/v1/ai/chat/stream", json={"message": "Hi"}, headers=owner.headers())
    usage = await client.get("/api/v1/ai/usage", headers=owner.headers())
    assert usage.status_code == 200
    body = usage.json()
    assert body["requests"] == 1
    assert body["total_tokens"] > 0
    assert body["by_model"] == [
        {
            "model": "trident-local",
            "provider": "local",
            "requests": 1,
            "total_tokens": body["total_tokens"],
        }
    ]
    assert body["by_day"][0]["date"] == today.isoformat()


async def test_unknown_model_is_422(client: Client) -> None:
    owner = await client.actor()
    response = await client.post(
        "/api/v1/ai/chat", json={"message": "Hi", "model": "gpt-17-ultra"}, headers=owner.headers()
    )
    assert response.status_code == 422
    assert response.json()["error"] == "unknown_model"
    assert "trident-local" in response.json()["details"]["available"]


@pytest.mark.parametrize(
    "payload", [{"message": ""}, {"message": "   "}, {}, {"message": "x" * 8001}]
)
async def test_chat_validation(client: Client, payload: dict[str, str]) -> None:
    owner = await client.actor()
    response = await client.post("/api/v1/ai/chat", json=payload, headers=owner.headers())
    assert response.status_code == 422


async def test_models_list_has_one_default(client: Client) -> None:
    owner = await client.actor()
    response = await client.get("/api/v1/ai/models", headers=owner.headers())
    assert response.status_code == 200
    models = response.json()
    assert [m["id"] for m in models if m["default"]] == ["trident-local"]


async def test_ai_needs_membership(client: Client) -> None:
    owner = await client.actor()
    stranger = await client.actor()
    response = await client.post(
        "/api/v1/ai/chat", json={"message": "Hi"}, headers=stranger.headers(owner.org_id)
    )
    assert response.status_code == 404
    usage = await client.get("/api/v1/ai/usage", headers=stranger.headers(owner.org_id))
    assert usage.status_code == 404


async def test_usage_period_validation(client: Client) -> None:
    owner = await client.actor()
    response = await client.get(
        "/api/v1/ai/usage?start=2026-05-10&end=2026-05-01", headers=owner.headers()
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_period"


@pytest.mark.parametrize(
    ("params", "start", "end"),
    [
        ({"end": "9999-12-31"}, "9999-12-01", "9999-12-31"),
        ({"start": "0001-01-01", "end": "0001-01-31"}, "0001-01-01", "0001-01-31"),
    ],
)
async def test_usage_at_the_ends_of_the_calendar(
    client: Client, params: dict[str, str], start: str, end: str
) -> None:
    owner = await client.actor()
    response = await client.get("/api/v1/ai/usage", params=params, headers=owner.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["start"], body["end"], body["requests"]) == (start, end, 0)


class TestQuota:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {}

    async def test_quota_is_enforced_before_the_model_is_called(
        self, client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from trident.apps.saas.billing import plans

        free = plans.PLANS[plans.PlanType.FREE]
        tiny = plans.Plan(
            free.type,
            free.name,
            free.description,
            0,
            "usd",
            "month",
            0,
            plans.PlanLimits(3, 2, 2, 50_000),
            free.features,
        )
        monkeypatch.setitem(plans.PLANS, plans.PlanType.FREE, tiny)
        owner = await client.actor()
        for _ in range(2):
            ok = await client.post(
                "/api/v1/ai/chat", json={"message": "Hi"}, headers=owner.headers()
            )
            assert ok.status_code == 200
        spent = await client.post(
            "/api/v1/ai/chat", json={"message": "Hi"}, headers=owner.headers()
        )
        assert spent.status_code == 429
        body = spent.json()
        assert body["error"] == "ai_quota_exceeded"
        assert body["details"]["quota"]["requests_limit"] == 2
        assert body["details"]["quota"]["requests_remaining"] == 0
        assert int(spent.headers["retry-after"]) > 0
        stream = await client.post(
            "/api/v1/ai/chat/stream", json={"message": "Hi"}, headers=owner.headers()
        )
        assert stream.status_code == 429
