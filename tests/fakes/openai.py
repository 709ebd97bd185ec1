"""A fake OpenAI-compatible chat endpoint: it calls a tool when one is offered and
the user asks about it, then answers with the tool's result; it can stream."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

ANSWERING_MODEL = "fake-model-2026-01-01"


@dataclass
class FakeOpenAI:
    requests: list[dict[str, Any]] = field(default_factory=list)
    fail_with: int | None = None

    def _reply(self, body: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
        messages = body["messages"]
        last = messages[-1]
        if last["role"] == "tool":
            result = json.loads(last["content"])
            return f"Tool says: {result.get('summary', result)}", []
        tools = [t["function"]["name"] for t in body.get("tools", [])]
        words = last["content"].lower()
        wanted = [name for name in tools if name.split("_")[-1] in words]
        if wanted:
            return None, [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": wanted[0], "arguments": json.dumps({"x": 1})},
                }
            ]
        return "Hello from the fake model!", []

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions", response_model=None)
        async def completions(request: Request) -> JSONResponse | StreamingResponse:
            body = await request.json()
            self.requests.append(body)
            if self.fail_with:
                return JSONResponse(
                    {"error": {"message": "boom", "type": "server_error"}},
                    status_code=self.fail_with,
                )
            content, tool_calls = self._reply(body)
            usage = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
            if not body.get("stream"):
                message: dict[str, Any] = {"role": "assistant", "content": content}
                if tool_calls:
                    message["tool_calls"] = tool_calls
                return JSONResponse(
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": 1,
                        "model": ANSWERING_MODEL,
                        "choices": [
                            {
                                "index": 0,
                                "message": message,
                                "finish_reason": "tool_calls" if tool_calls else "stop",
                            }
                        ],
                        "usage": usage,
                    }
                )

            def chunk(delta: dict[str, Any], usage_part: Any = None, final: bool = False) -> str:
                payload = {
                    "id": "chatcmpl-1",
                    "object": "chat.completion.chunk",
                    "created": 1,
                    "model": ANSWERING_MODEL,
                    "choices": []
                    if final
                    else [{"index": 0, "delta": delta, "finish_reason": None}],
                    "usage": usage_part,
                }
                return f"data: {json.dumps(payload)}\n\n"

            def events() -> Any:
                if tool_calls:
                    call = tool_calls[0]
                    yield chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": 0,
                                    "id": call["id"],
                                    "type": "function",
                                    "function": {"name": call["function"]["name"], "arguments": ""},
                                }
                            ]
                        }
                    )
                    yield chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": 0,
                                    "function": {"arguments": call["function"]["arguments"]},
                                }
                            ]
                        }
                    )
                else:
                    for word in (content or "").split(" "):
                        yield chunk({"content": word + " "})
                yield chunk({}, usage, final=True)
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        return app
