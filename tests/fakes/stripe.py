"""A fake Stripe API: enough of /v1 for the provider, recording what it was sent."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


@dataclass
class Recorded:
    method: str
    path: str
    form: dict[str, str]
    idempotency_key: str | None


@dataclass
class FakeStripe:
    requests: list[Recorded] = field(default_factory=list)
    by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self.ids)}"

    def app(self) -> FastAPI:
        app = FastAPI()

        async def record(request: Request) -> Recorded:
            form = dict(parse_qsl((await request.body()).decode()))
            rec = Recorded(
                request.method,
                request.url.path,
                form,
                request.headers.get("idempotency-key"),
            )
            self.requests.append(rec)
            return rec

        def created(rec: Recorded, obj: dict[str, Any]) -> JSONResponse:
            if rec.idempotency_key:
                obj = self.by_key.setdefault(rec.idempotency_key, obj)
            self.objects[obj["id"]] = obj
            return JSONResponse(obj)

        @app.post("/v1/customers")
        async def customers(request: Request) -> JSONResponse:
            rec = await record(request)
            return created(
                rec, {"id": self.new_id("cus"), "object": "customer", "email": rec.form["email"]}
            )

        @app.post("/v1/checkout/sessions")
        async def checkout(request: Request) -> JSONResponse:
            rec = await record(request)
            sid = self.new_id("cs")
            return created(
                rec,
                {
                    "id": sid,
                    "object": "checkout.session",
                    "url": f"https://checkout.stripe.test/{sid}",
                    "status": "open",
                    "mode": rec.form["mode"],
                    "customer": rec.form.get("customer"),
                    "amount_total": int(rec.form.get("line_items[0][price_data][unit_amount]", 0)),
                    "currency": rec.form.get("line_items[0][price_data][currency]", "usd"),
                    "metadata": {
                        k[len("metadata[") : -1]: v
                        for k, v in rec.form.items()
                        if k.startswith("metadata[")
                    },
                },
            )

        @app.post("/v1/billing_portal/sessions")
        async def portal(request: Request) -> JSONResponse:
            rec = await record(request)
            pid = self.new_id("bps")
            return created(
                rec,
                {"id": pid, "object": "billing_portal.session", "url": f"https://bps.test/{pid}"},
            )

        @app.post("/v1/payment_intents")
        async def create_intent(request: Request) -> JSONResponse:
            rec = await record(request)
            amount = int(rec.form["amount"])
            if amount == 402:
                return JSONResponse(
                    {
                        "error": {
                            "type": "card_error",
                            "code": "card_declined",
                            "message": "Your card was declined.",
                        }
                    },
                    status_code=402,
                )
            token = rec.form.get("payment_method_data[card][token]")
            if token == "tok_chargeDeclined":
                return JSONResponse(
                    {
                        "error": {
                            "type": "card_error",
                            "code": "card_declined",
                            "decline_code": "generic_decline",
                            "message": "Your card was declined.",
                        }
                    },
                    status_code=402,
                )
            confirmed = rec.form.get("confirm") == "true" and token is not None
            pid = self.new_id("pi")
            return created(
                rec,
                {
                    "id": pid,
                    "object": "payment_intent",
                    "amount": amount,
                    "currency": rec.form["currency"],
                    "client_secret": f"{pid}_secret_x",
                    "status": "succeeded" if confirmed else "requires_payment_method",
                    "customer": rec.form.get("customer"),
                    "amount_received": amount if confirmed else 0,
                    "metadata": {},
                },
            )

        @app.get("/v1/payment_intents/{intent_id}")
        async def get_intent(intent_id: str, request: Request) -> JSONResponse:
            await record(request)
            if intent_id not in self.objects:
                return JSONResponse(
                    {
                        "error": {
                            "type": "invalid_request_error",
                            "code": "resource_missing",
                            "message": f"No such payment_intent: '{intent_id}'",
                        }
                    },
                    status_code=404,
                )
            return JSONResponse(self.objects[intent_id])

        @app.post("/v1/refunds")
        async def refunds(request: Request) -> JSONResponse:
            rec = await record(request)
            intent = self.objects[rec.form["payment_intent"]]
            return created(
                rec,
                {
                    "id": self.new_id("re"),
                    "object": "refund",
                    "payment_intent": intent["id"],
                    "amount": int(rec.form.get("amount", intent["amount"])),
                    "currency": intent["currency"],
                    "status": "succeeded",
                },
            )

        @app.delete("/v1/subscriptions/{sub_id}")
        async def cancel(sub_id: str, request: Request) -> JSONResponse:
            await record(request)
            return JSONResponse({"id": sub_id, "object": "subscription", "status": "canceled"})

        return app
