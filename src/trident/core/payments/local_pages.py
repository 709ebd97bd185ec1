"""Hosted pages of the local provider: stand-ins for Stripe Checkout and the portal.

``/_local/pay/checkout/{id}``         GET shows the order; POST action=pay|decline|cancel
``/_local/pay/portal/{id}``           GET lists plans; POST action=change|cancel
``/_local/pay/payment_intents/{id}``  GET shows the amount; POST action=pay|decline

A POST runs in one unit of work; the events it emits are delivered, signed,
after that commit, through the app's webhook handler.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from trident.core.clock import unix_time
from trident.core.payments.base import PaymentError
from trident.core.payments.local import LocalPaymentProvider, money

UnitOfWork = Callable[[], AbstractAsyncContextManager[AsyncSession]]

STYLE = """
body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#222}
.card{border:1px solid #ddd;border-radius:12px;padding:1.5rem;margin-bottom:1rem}
.total{font-size:1.6rem;font-weight:600} .note{color:#666;font-size:.9rem}
.error{color:#b00020} button{padding:.6rem 1.2rem;border-radius:8px;border:0;margin:.2rem;
cursor:pointer;background:#635bff;color:#fff} button.secondary{background:#eee;color:#222}
"""


#: the local provider's checkout and portal pages (a browser's, not an API client's)
LOCAL_PAGES_PREFIX = "/_local/pay"


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    html = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}"
        "<p class='note'>Local test payments: no card is charged. Configure "
        "STRIPE_SECRET_KEY to use Stripe.</p></body></html>"
    )
    return HTMLResponse(html, status_code=status_code)


def _missing(what: str) -> HTMLResponse:
    return _page("Not found", f"<p class='error'>This {escape(what)} does not exist.</p>", 404)


def _button(action: str, label: str, secondary: bool = False, **fields: str) -> str:
    hidden = "".join(
        f"<input type='hidden' name='{escape(k)}' value='{escape(v)}'>" for k, v in fields.items()
    )
    css = " class='secondary'" if secondary else ""
    return (
        f"<form method='post' style='display:inline'>{hidden}"
        f"<button name='action' value='{escape(action)}'{css}>{escape(label)}</button></form>"
    )


def _checkout_page(data: dict[str, Any], error: str = "", status_code: int = 200) -> HTMLResponse:
    rows = "".join(
        f"<p>{escape(item['name'])} x {item['quantity']}: "
        f"{money(item['unit_amount'] * item['quantity'], item['currency'])}"
        + (f" / {escape(item['recurring']['interval'])}" if item["recurring"] else "")
        + "</p>"
        for item in data["line_items"]
    )
    if data["status"] != "open":
        actions = f"<p>This checkout is {escape(data['status'])}.</p>"
    else:
        actions = _button("pay", "Pay") + _button("decline", "Decline card", True)
        actions += _button("cancel", "Cancel", True)
    problem = f"<p class='error'>{escape(error)}</p>" if error else ""
    body = (
        f"<div class='card'>{rows}<p class='total'>"
        f"Total {money(data['amount_total'], data['currency'])}</p>"
        f"<p class='note'>{escape(data.get('customer_email') or '')}</p></div>{problem}{actions}"
    )
    return _page("Checkout", body, status_code)


def _portal_page(data: dict[str, Any], subscriptions: list[Any], error: str = "") -> HTMLResponse:
    parts = [f"<p class='error'>{escape(error)}</p>"] if error else []
    if not subscriptions:
        parts.append("<p>There is no active subscription.</p>")
    for sub in subscriptions:
        price = sub.data["items"]["data"][0]["price"] if sub.data["items"]["data"] else {}
        current = (price.get("metadata") or {}).get("plan") or price.get("product", {}).get("name")
        amount = money(price.get("unit_amount", 0), price.get("currency", "usd"))
        changes = "".join(
            _button("change", f"Switch to {o['name']}", subscription_id=sub.id, plan=o["key"])
            for o in data["plan_options"]
            if o["key"] != current
        )
        parts.append(
            f"<div class='card'><p>Current plan: <b>{escape(str(current))}</b> ({amount}, "
            f"{escape(sub.status)})</p>{changes}"
            f"{_button('cancel', 'Cancel plan', True, subscription_id=sub.id)}</div>"
        )
    parts.append(f"<p><a href='{escape(data['return_url'])}'>Return</a></p>")
    return _page("Billing portal", "".join(parts))


def local_payments_router(provider: LocalPaymentProvider, unit_of_work: UnitOfWork) -> APIRouter:
    router = APIRouter(prefix=LOCAL_PAGES_PREFIX, include_in_schema=False)

    @router.get("/checkout/{session_id}")
    async def checkout_page(session_id: str) -> Response:
        async with unit_of_work() as db:
            row = await provider.bind(db).get(session_id, "checkout.session")
            return _checkout_page(row.data) if row else _missing("checkout session")

    @router.post("/checkout/{session_id}")
    async def checkout_action(session_id: str, request: Request) -> Response:
        action = (await request.form()).get("action")
        async with unit_of_work() as db:
            bound = provider.bind(db)
            row = await bound.get(session_id, "checkout.session", lock=True)
            if row is None:
                return _missing("checkout session")
            if action == "cancel":
                return RedirectResponse(row.data["cancel_url"], status_code=303)
            if action == "decline":
                return _checkout_page(row.data, "Your card was declined.", 402)
            if action != "pay":
                return _checkout_page(row.data, "Choose Pay, Decline card or Cancel.", 400)
            try:
                target = await bound.pay_checkout(row)
            except PaymentError as exc:
                return _checkout_page(row.data, exc.message, 409)
        return RedirectResponse(target, status_code=303)

    @router.get("/portal/{portal_id}")
    async def portal_page(portal_id: str) -> Response:
        async with unit_of_work() as db:
            bound = provider.bind(db)
            row = await bound.get(portal_id, "billing_portal.session")
            if row is None or row.data["expires_at"] < unix_time():
                return _missing("billing portal session")
            return _portal_page(row.data, await bound.live_subscriptions(row.customer_id))

    @router.post("/portal/{portal_id}")
    async def portal_action(portal_id: str, request: Request) -> Response:
        form = await request.form()
        action, sub_id, plan = form.get("action"), form.get("subscription_id"), form.get("plan")
        async with unit_of_work() as db:
            bound = provider.bind(db)
            row = await bound.get(portal_id, "billing_portal.session")
            if row is None or row.data["expires_at"] < unix_time():
                return _missing("billing portal session")
            live = await bound.live_subscriptions(row.customer_id, lock=True)
            # Only the portal customer's own subscriptions can be changed here.
            sub = next((s for s in live if s.id == sub_id), None)
            if sub is None:
                return _portal_page(row.data, live, "Choose one of your active subscriptions.")
            if action == "cancel":
                bound.end_subscription(sub)
            elif action == "change":
                option = next((o for o in row.data["plan_options"] if o["key"] == plan), None)
                if option is None:
                    return _portal_page(row.data, live, "Choose one of the offered plans.")
                bound.change_subscription_plan(sub, option)
            else:
                return _portal_page(row.data, live, "Choose Switch or Cancel.")
            target = row.data["return_url"]
        return RedirectResponse(target, status_code=303)

    @router.get("/payment_intents/{intent_id}")
    async def intent_page(intent_id: str) -> Response:
        async with unit_of_work() as db:
            row = await provider.bind(db).get(intent_id, "payment_intent")
            if row is None:
                return _missing("payment")
            return _intent_page(row.data)

    @router.post("/payment_intents/{intent_id}")
    async def intent_action(intent_id: str, request: Request) -> Response:
        action = (await request.form()).get("action")
        async with unit_of_work() as db:
            bound = provider.bind(db)
            row = await bound.get(intent_id, "payment_intent", lock=True)
            if row is None:
                return _missing("payment")
            try:
                if action == "pay":
                    bound.pay_payment_intent(row)
                elif action == "decline":
                    bound.decline_payment_intent(row)
                else:
                    return _intent_page(row.data, "Choose Pay or Decline card.", 400)
            except PaymentError as exc:
                return _intent_page(row.data, exc.message, 409)
            return _intent_page(row.data)

    return router


def _intent_page(data: dict[str, Any], error: str = "", status_code: int = 200) -> HTMLResponse:
    problem = f"<p class='error'>{escape(error)}</p>" if error else ""
    failure = (data.get("last_payment_error") or {}).get("message")
    if failure and not error:
        problem = f"<p class='error'>{escape(failure)}</p>"
    actions = (
        _button("pay", "Pay") + _button("decline", "Decline card", True)
        if data["status"] == "requires_payment_method"
        else f"<p>Status: <b>{escape(data['status'])}</b></p>"
    )
    body = (
        f"<div class='card'><p>{escape(data.get('description') or 'Payment')}</p>"
        f"<p class='total'>{money(data['amount'], data['currency'])}</p></div>{problem}{actions}"
    )
    return _page("Payment", body, status_code)
