"""Who may call what in the hibachi app: one row per operation, one status per caller.

Callers, all of the default station ``main`` unless said otherwise:

- ``anonymous``;
- ``super_admin`` (a second one, naming ``main`` in ``X-Station-ID``), ``admin``,
  ``manager``, ``staff``, ``viewer`` and ``ai_system``: the station's staff accounts;
- ``customer``: a customer account.  The records a row names that a customer may own
  (a booking, the customer record, a review) are this customer's;
- ``other_customer``: a second customer account, naming the first one's records: a
  ``*:own`` permission reaches the caller's own records only, so they answer 404;
- ``outsider``: an admin of another station naming this station's records: 404, never
  403.  Where a row names no record, the outsider acts in their own station, as staff do;
- ``api_key``: an integration key of ``main`` holding ``KEY_SCOPES``, made by the admin
  through the API; ``revoked_key``: a key the admin revoked through the API.

The statuses come from docs/hibachi.md: its permission table (restated in ``HOLDERS``,
not imported from the app) and each endpoint's documented rule, never from what the app
answers.  Where the documents leave a case open, the row's comment says which reading
it takes.

Every router answers under each prefix the documents give it (``/api/...`` and
``/api/v1/...``, the deprecated ``/api/app/bookings``); ``mounted()`` gives each alias
the same expectation and every alias is called.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pyotp
from fastapi import FastAPI
from sqlalchemy import select

from tests.hibachi.helpers import PASSWORD, Actor, Client, business_today
from tests.hibachi.test_admin import add_failing_routes
from tests.reliability.matrix import Call, Prepare, Row
from trident.apps.hibachi.models import OutboxMessage
from trident.core.clock import today_in

IDENTITIES = (
    "anonymous",
    "super_admin",
    "admin",
    "manager",
    "staff",
    "viewer",
    "ai_system",
    "customer",
    "other_customer",
    "outsider",
    "api_key",
    "revoked_key",
)
#: what an integration key of the matrix may do: reads and writes bookings, reads
#: customers (never writes them), works leads, reads reviews and analytics
KEY_SCOPES = (
    "analytics:read",
    "bookings:read",
    "bookings:write",
    "customers:read",
    "leads:read",
    "leads:write",
    "reviews:read",
)

# -- who holds what (docs/hibachi.md, "Roles and permissions") ---------------------------

_SA = ("super_admin",)
_ADMINS = ("super_admin", "admin")
_MANAGERS = ("super_admin", "admin", "manager")
_WRITERS = ("super_admin", "admin", "manager", "staff", "ai_system")
_READERS = ("super_admin", "admin", "manager", "staff", "viewer", "ai_system")
_STAFF_READERS = ("super_admin", "admin", "manager", "staff", "viewer")
_OWNERS = ("super_admin", "customer")

#: permission -> the roles holding it, row by row as the documented table has them
HOLDERS: dict[str, tuple[str, ...]] = {
    "stations:manage": _SA,
    **dict.fromkeys(
        (
            "users:manage",
            "apikeys:manage",
            "pricing:manage",
            "notifications:manage",
            "errors:manage",
            "audit:read",
        ),
        _ADMINS,
    ),
    **dict.fromkeys(
        (
            "users:read",
            "campaigns:send",
            "newsletter:manage",
            "qr:manage",
            "coupons:manage",
            "reviews:moderate",
            "bookings:delete",
            "customers:delete",
            "leads:delete",
        ),
        _MANAGERS,
    ),
    "analytics:read": (*_MANAGERS, "viewer"),  # "analytics:read only" for the viewer
    **dict.fromkeys(
        ("bookings:write", "customers:write", "leads:write", "waitlist:write"), _WRITERS
    ),
    **dict.fromkeys(("bookings:read", "customers:read", "leads:read", "waitlist:read"), _READERS),
    **dict.fromkeys(("reviews:read", "coupons:read", "newsletter:read", "qr:read"), _STAFF_READERS),
    **dict.fromkeys(("bookings:own", "customers:own", "reviews:own", "coupons:apply"), _OWNERS),
}
#: the role a caller has where their name is not one
ROLE_OF = {"outsider": "admin", "other_customer": "customer"}
CUSTOMERS = ("customer", "other_customer")
NOBODY = {"anonymous": 401, "revoked_key": 401}
CALLERS = tuple(i for i in IDENTITIES if i not in NOBODY)


def holds(identity: str, permission: str) -> bool:
    if identity == "api_key":
        return permission in KEY_SCOPES
    return ROLE_OF.get(identity, identity) in HOLDERS[permission]


# -- expectations --------------------------------------------------------------------------


def public(status: int) -> dict[str, int]:
    """A route that reads no credentials: the same answer for everyone."""
    return dict.fromkeys(IDENTITIES, status)


def public_station(status: int, *, names_record: bool = False) -> dict[str, int]:
    """A public route acting in the caller's station (signed in: their own; else ``main``).

    Credentials are optional there but checked when sent: a revoked key is 401 (the
    documents are silent; the app's reading, kept: a bad credential is not anonymous).
    An outsider acts in their own station, where a record of ``main`` is not found."""
    expect = {**public(status), "revoked_key": 401}
    if names_record:
        expect["outsider"] = 404
    return expect


def optional_credentials(status: int) -> dict[str, int]:
    """A public route that reads credentials when sent (a revoked key is 401)."""
    return {**public(status), "revoked_key": 401}


def signed_in(status: int) -> dict[str, int]:
    """Any caller with valid credentials, in their own station."""
    return {**public(status), **NOBODY}


def user_only(status: int) -> dict[str, int]:
    """A user's own account: an API key is no user (403)."""
    return {**signed_in(status), "api_key": 403}


def super_admin_only(status: int) -> dict[str, int]:
    """The platform's stations: ``stations:manage``; not a station's route, so nobody
    else gets past the permission (an outsider gets 403 like the station's admin)."""
    return {**public(403), **NOBODY, "super_admin": status}


def needs(
    status: int, *permissions: str, any_of: bool = False, record: str | None = None
) -> dict[str, int]:
    """A station route needing ``permissions`` (all of them, or with ``any_of`` one).

    ``record`` is what the path, query or body names: None (nothing: the caller acts in
    their own station), ``"station"`` (a record of ``main``) or ``"customer"`` (one of
    the customer's own).  The permission is checked before the record is looked up."""
    expect = dict(NOBODY)
    for identity in CALLERS:
        held = [holds(identity, p) for p in permissions]
        if not (any(held) if any_of else all(held)):
            expect[identity] = 403
        elif record is not None and identity == "outsider":
            expect[identity] = 404
        elif record is not None and identity in CUSTOMERS:
            # a customer holds *:own permissions only: their own records, no one else's
            mine = record == "customer" and identity == "customer"
            expect[identity] = status if mine else 404
        else:
            expect[identity] = status
    return expect


# -- the world -------------------------------------------------------------------------------

_unique = itertools.count(1)
LINK = "https://myhibachi.com/book?promo=MATRIX"
CONTENT = f'<h1>Matrix special</h1><p>Book now: <a href="{LINK}">here</a></p>'
LOCATION = "123 Main St, San Jose, CA"
HOURS = [f"{hour:02d}:00" for hour in range(24)]


def unique() -> int:
    return next(_unique)


def email(kind: str = "matrix") -> str:
    return f"{kind}{unique()}-{time.time_ns()}@example.com"


def phone() -> str:
    return f"+1408555{100 + unique() % 100:04d}"


def _slots() -> Iterator[tuple[str, str]]:
    """Free (date, time) pairs: future days, the default slot times, no Mondays (the
    default closed day: the outsider's station keeps the default calendar)."""
    day = business_today() + timedelta(days=2)
    while True:
        if day.weekday() != 0:
            for start in ("12:00", "15:00", "18:00", "21:00"):
                yield day.isoformat(), start
        day += timedelta(days=1)


def app_of(client: httpx.AsyncClient) -> FastAPI:
    """The app behind the test client: error logs are planted and the outbox read
    through it, as tests/hibachi/test_admin.py and test_newsletter.py do."""
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    app = transport.app
    assert isinstance(app, FastAPI)
    return app


@dataclass
class World:
    """The callers and the records of ``main`` the rows name, made through the API."""

    client: Client
    app: FastAPI
    actors: dict[str, Actor]
    station_id: int
    station_code: str
    timezone: str
    slots: Iterator[tuple[str, str]] = field(default_factory=_slots)
    api_key: str = ""
    revoked_key: str = ""
    #: the customer identity's customer record; a customer of ``main`` with no account
    customer_id: int = 0
    bystander_id: int = 0
    #: records of ``main`` the rows name
    booking: int = 0
    reviewable_booking: int = 0
    lead: int = 0
    entry: int = 0
    review: int = 0
    coupon: int = 0
    coupon_code: str = ""
    campaign: int = 0
    sent_campaign: int = 0
    delivery_token: str = ""
    unsubscribe_token: str = ""
    qr: int = 0
    qr_code: str = ""
    menu_item: int = 0
    group: int = 0
    error_log: int = 0
    audit_entry: int = 0
    user: int = 0
    spare_station: int = 0
    #: signs in for the login, refresh and logout rows (never one of the callers)
    sessions: Actor | None = None
    #: the MFA secret each caller set up last
    mfa_secrets: dict[str, str] = field(default_factory=dict)
    #: the callers left in the current row, for rows whose request depends on who calls
    turns: Iterator[str] = field(default_factory=lambda: iter(()))
    #: request path -> the query a row's request carries (the runner sends none)
    queries: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, identity: str) -> dict[str, str]:
        if identity == "anonymous":
            return {}
        if identity == "api_key":
            return {"X-API-Key": self.api_key}
        if identity == "revoked_key":
            return {"X-API-Key": self.revoked_key}
        headers = self.actors[identity].headers()
        if identity == "super_admin":
            headers["X-Station-ID"] = str(self.station_id)
        return headers

    async def add_query(self, request: httpx.Request) -> None:
        """httpx request hook: the query of a route that needs one (a date, an email)."""
        params = self.queries.get(request.url.path)
        if params and not request.url.query:
            request.url = request.url.copy_merge_params(params)

    async def api(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        expect: int = 200,
        actor: str = "admin",
        params: dict[str, Any] | None = None,
    ) -> Any:
        """A call that builds the world, as ``actor``; it must answer ``expect``."""
        response = await self.client.request(
            method, url, json=json, params=params, headers=self.headers(actor)
        )
        assert response.status_code == expect, f"{method} {url}: {response.text}"
        return response.json() if response.content else None

    # -- records ----------------------------------------------------------------------

    async def book(self, **overrides: Any) -> int:
        """A pending booking of the customer, on a free future slot."""
        day, start = next(self.slots)
        fields = {"date": day, "time": start, "customer_email": self.actors["customer"].email}
        booking = await self.client.book(self.actors["admin"], **{**fields, **overrides})
        return int(booking["id"])

    async def completed_booking(self) -> int:
        """A booking of the customer held today and completed (today has 24 slots)."""
        today = today_in(self.timezone).isoformat()
        booking = await self.book(date=today, time=None)
        for status in ("confirmed", "completed"):
            await self.api("PUT", f"/api/v1/bookings/{booking}", json={"status": status})
        return booking

    async def new_customer(self, kind: str = "bystander") -> int:
        body = {"name": "By Stander", "email": email(kind)}
        return int((await self.api("POST", "/api/v1/customers", json=body, expect=201))["id"])

    async def new_lead(self) -> int:
        body = {"name": "Matrix Lead", "email": email("lead"), "guest_count": 10}
        return int((await self.api("POST", "/api/leads", json=body, expect=201))["id"])

    async def new_entry(self) -> int:
        day, start = next(self.slots)
        body = {
            "customer": {"name": "Wait Lister", "email": email("waiting")},
            "preferred_date": day,
            "preferred_time": start,
            "guest_count": 8,
            "location": LOCATION,
        }
        return int((await self.api("POST", "/api/waitlist", json=body, expect=201))["id"])

    async def new_review(self, customer_id: int, rating: int = 5) -> int:
        body = {"customer_id": customer_id, "rating": rating, "title": "Matrix night"}
        return int((await self.api("POST", "/api/reviews", json=body, expect=201))["id"])

    async def new_coupon(self) -> dict[str, Any]:
        body = {"discount_type": "percent", "discount_value": 10, "notify_customer": False}
        return await self.api(  # type: ignore[no-any-return]
            "POST", "/api/reviews/ai/issue-coupon", json=body, expect=201
        )

    async def new_draft(self) -> int:
        body = {"name": f"Matrix {unique()}", "subject": "Matrix special", "content": CONTENT}
        created = await self.api("POST", "/api/newsletter/campaigns", json=body, expect=201)
        return int(created["id"])

    async def new_qr(self) -> dict[str, Any]:
        body = {"name": f"Matrix QR {unique()}", "target_url": "https://myhibachi.com/menu"}
        return await self.api(  # type: ignore[no-any-return]
            "POST", "/api/qr/campaigns", json=body, expect=201
        )

    async def new_menu_item(self) -> int:
        body = {"name": f"Matrix dish {unique()}", "category": "protein", "price": "20.00"}
        return int((await self.api("POST", "/api/v1/menu-items", json=body, expect=201))["id"])

    async def new_group(self) -> int:
        body = {
            "name": f"Matrix group {unique()}",
            "event_types": ["booking_created"],
            "channels": ["email"],
            "emails": ["ops@example.com"],
        }
        created = await self.api("POST", "/api/admin/notification-groups", json=body, expect=201)
        return int(created["id"])

    async def new_error_log(self) -> int:
        """An unhandled error in ``main`` (test_admin's crashing route) and its log entry."""
        add_failing_routes(self.app)
        crashed = await self.client.get("/boom-station", headers=self.headers("admin"))
        assert crashed.status_code == 500, crashed.text
        logs = await self.api("GET", "/api/admin/error-logs", params={"path": "boom-station"})
        return int(logs["items"][0]["id"])

    async def new_key(self) -> dict[str, Any]:
        body = {"name": f"Matrix key {unique()}", "permissions": list(KEY_SCOPES)}
        return await self.api(  # type: ignore[no-any-return]
            "POST", "/api/admin/api-keys", json=body, expect=201
        )

    async def new_user(self) -> int:
        body = {"email": email("user"), "password": PASSWORD, "role": "staff"}
        return int((await self.api("POST", "/api/users", json=body, expect=201))["id"])

    async def find_email_tokens(self) -> tuple[str, str]:
        """The tracking and unsubscribe tokens of an email of the sent campaign, from the
        outbox (the API never shows them: they are the secrets of the email's links)."""
        async with self.app.state.runtime.unit_of_work(write=False) as db:
            rows = await db.scalars(
                select(OutboxMessage).where(OutboxMessage.reference.like("campaign_delivery:%"))
            )
            for message in rows:
                opened = re.search(r"/track/open/([A-Za-z0-9_-]+)\.gif", message.html or "")
                leave = re.search(r"/unsubscribe/([A-Za-z0-9_-]+)", message.html or "")
                if opened and leave:
                    return opened.group(1), leave.group(1)
        raise AssertionError("the sent campaign left no email in the outbox")

    # -- two-factor authentication --------------------------------------------------------

    async def set_mfa(self, identity: str, *, on: bool) -> None:
        """Turn ``identity``'s two-factor authentication on or off through the API."""
        me = await self.api("GET", "/api/auth/me", actor=identity)
        if me["mfa_enabled"] == on:
            return
        if on:
            setup = await self.api("POST", "/api/auth/mfa/setup", actor=identity)
            self.mfa_secrets[identity] = setup["secret"]
            code = {"token": self.totp(identity)}
            await self.api("POST", "/api/auth/mfa/verify", json=code, actor=identity)
        else:
            body = {"password": PASSWORD, "token": self.totp(identity)}
            await self.api("POST", "/api/auth/mfa/disable", json=body, actor=identity)

    def totp(self, identity: str) -> str:
        return pyotp.TOTP(self.mfa_secrets[identity]).now()


async def build_world(client: Client) -> World:
    admin = await client.staff("admin")
    assert admin.station_id is not None
    elsewhere = await client.station()
    station = (
        await client.get(f"/api/admin/stations/{admin.station_id}", headers=client.root.headers())
    ).json()
    world = World(
        client=client,
        app=app_of(client),
        actors={
            "super_admin": await client.staff("super_admin"),
            "admin": admin,
            "manager": await client.staff("manager"),
            "staff": await client.staff("staff"),
            "viewer": await client.staff("viewer"),
            "ai_system": await client.staff("ai_system"),
            "customer": await client.customer(),
            "other_customer": await client.customer(),
            "outsider": await client.staff("admin", station=elsewhere["id"]),
        },
        station_id=admin.station_id,
        station_code=station["code"],
        timezone=station["timezone"],
        sessions=await client.staff("staff"),
    )
    client.event_hooks["request"].append(world.add_query)
    world.api_key = (await world.new_key())["key"]
    revoked = await world.new_key()
    await world.api("DELETE", f"/api/admin/api-keys/{revoked['id']}", expect=204)
    world.revoked_key = revoked["key"]

    # 24 one-hour slots a day, every day open: room for the completed bookings reviews need
    calendar = {"slot_times": HOURS, "slot_duration_minutes": 60, "closed_weekdays": []}
    await world.api("PUT", "/api/v1/pricing", json=calendar)
    world.customer_id = (await world.api("GET", "/api/auth/me", actor="customer"))["customer_id"]
    world.bystander_id = await world.new_customer()

    world.booking = await world.book()
    world.reviewable_booking = await world.completed_booking()
    world.lead = await world.new_lead()
    world.entry = await world.new_entry()
    world.review = await world.new_review(world.customer_id)
    coupon = await world.new_coupon()
    world.coupon, world.coupon_code = coupon["id"], coupon["code"]
    for address in ("ann@example.com", "bob@example.com"):
        await world.api(
            "POST",
            "/api/newsletter/subscribe",
            json={"email": address},
            expect=201,
            actor="anonymous",
        )
    world.campaign = await world.new_draft()
    world.sent_campaign = await world.new_draft()
    await world.api("POST", f"/api/newsletter/campaigns/{world.sent_campaign}/send", expect=202)
    world.delivery_token, world.unsubscribe_token = await world.find_email_tokens()
    qr = await world.new_qr()
    world.qr, world.qr_code = qr["id"], qr["code"]
    world.menu_item = await world.new_menu_item()
    world.group = await world.new_group()
    world.error_log = await world.new_error_log()
    world.audit_entry = (await world.api("GET", "/api/admin/audit-logs"))["items"][0]["id"]
    world.user = await world.new_user()
    world.spare_station = (await client.station())["id"]

    day, _ = next(world.slots)
    customer_email = world.actors["customer"].email
    for prefix in BOOKINGS:
        world.queries[f"{prefix}/availability"] = {"date": day}
    for prefix in CUSTOMERS_AT:
        world.queries[f"{prefix}/find-by-email"] = {"email": customer_email}
        world.queries[f"{prefix}/dashboard"] = {"customer_id": str(world.customer_id)}
    for prefix in NEWSLETTER:
        world.queries[f"{prefix}/track/click/{world.delivery_token}"] = {"url": LINK}
    return world


# -- fresh requests ------------------------------------------------------------------------


def names(**records: str) -> Prepare:
    """The path names records of the world: ``names(booking_id="booking")``."""

    async def prepare(world: World, client: httpx.AsyncClient) -> Call:
        return Call(path_params={param: getattr(world, attr) for param, attr in records.items()})

    return prepare


def sends(body: Any, **records: str) -> Prepare:
    """A body (a function of the world makes a fresh one per call), on records of the
    world: ``sends({"price": "21.00"}, item_id="menu_item")``."""

    async def prepare(world: World, client: httpx.AsyncClient) -> Call:
        params = {param: getattr(world, attr) for param, attr in records.items()}
        return Call(path_params=params, json=body(world) if callable(body) else body)

    return prepare


async def take_turns(world: World, client: httpx.AsyncClient) -> None:
    """Setup of a row whose request depends on who calls: the callers in order."""
    world.turns = iter(IDENTITIES)


# auth


async def login(world: World, client: httpx.AsyncClient) -> Call:
    assert world.sessions is not None
    return Call(json={"email": world.sessions.email, "password": PASSWORD})


async def station_login(world: World, client: httpx.AsyncClient) -> Call:
    call = await login(world, client)
    return Call(json={**call.json, "station_code": world.station_code})


async def fresh_session(world: World, client: httpx.AsyncClient) -> Call:
    """The refresh token of a new session (refresh rotates it; logout ends it)."""
    assert world.sessions is not None
    session = await world.client.sign_in(world.sessions.email)
    return Call(json={"refresh_token": session.refresh_token})


async def register(world: World, client: httpx.AsyncClient) -> Call:
    return Call(json={"email": email("customer"), "password": PASSWORD, "full_name": "New Guest"})


async def register_station(world: World, client: httpx.AsyncClient) -> Call:
    return Call(
        json={
            "station_name": f"Matrix Station {unique()}",
            "email": email("owner"),
            "password": PASSWORD,
        }
    )


async def mfa_off(world: World, client: httpx.AsyncClient) -> Call:
    """Setup starts from two-factor authentication off."""
    identity = next(world.turns)
    if identity in world.actors:
        await world.set_mfa(identity, on=False)
    return Call()


async def mfa_set_up(world: World, client: httpx.AsyncClient) -> Call:
    """Verify: the caller has just set up two-factor authentication; a current code."""
    identity = next(world.turns)
    if identity not in world.actors:
        return Call(json={"token": "123456"})
    await world.set_mfa(identity, on=False)
    setup = await world.api("POST", "/api/auth/mfa/setup", actor=identity)
    world.mfa_secrets[identity] = setup["secret"]
    return Call(json={"token": world.totp(identity)})


async def mfa_on(world: World, client: httpx.AsyncClient) -> Call:
    """Disable: the caller has two-factor authentication on; password and a current code."""
    identity = next(world.turns)
    if identity not in world.actors:
        return Call(json={"password": PASSWORD, "token": "123456"})
    await world.set_mfa(identity, on=True)
    return Call(json={"password": PASSWORD, "token": world.totp(identity)})


# stations and users


async def fresh_station(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"station_id": (await world.client.station())["id"]})


async def fresh_user(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"user_id": await world.new_user()})


async def fresh_key(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"key_id": (await world.new_key())["id"]})


# bookings


async def new_booking(world: World, client: httpx.AsyncClient) -> Call:
    """A booking for the customer by id (the v1 document's form), on a free slot."""
    day, start = next(world.slots)
    body = {"customer_id": world.customer_id, "event_date": day, "event_time": start}
    return Call(json={**body, "guest_count": 8, "menu": "adult", "location": LOCATION})


async def public_booking(world: World, client: httpx.AsyncClient) -> Call:
    day, start = next(world.slots)
    return Call(
        json={
            "name": "Pat Public",
            "phone": phone(),
            "email": email("public"),
            "event_date": day,
            "event_time": start,
            "guest_count": 8,
            "location": LOCATION,
        }
    )


async def fresh_booking(world: World, client: httpx.AsyncClient) -> Call:
    """A pending booking of the customer (cancelling or deleting it is final)."""
    return Call(path_params={"booking_id": await world.book()})


async def reviewable_booking(world: World, client: httpx.AsyncClient) -> Call:
    """A completed booking of the customer not reviewed yet (one review per booking)."""
    reviews = await world.api(
        "GET", f"/api/reviews/customers/{world.customer_id}/reviews", params={"limit": 100}
    )
    if any(r["booking_id"] == world.reviewable_booking for r in reviews["items"]):
        world.reviewable_booking = await world.completed_booking()
    return Call(json={"booking_id": world.reviewable_booking, "rating": 5, "title": "Loved it"})


# customers, leads, waitlist


async def new_customer(world: World, client: httpx.AsyncClient) -> Call:
    return Call(json={"name": "Matrix Customer", "email": email("customer")})


async def fresh_lead(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"lead_id": await world.new_lead()})


async def new_waitlist_entry(world: World, client: httpx.AsyncClient) -> Call:
    """A new customer of ``main``, named by id, waits for a date (once per date)."""
    day, start = next(world.slots)
    return Call(
        json={
            "customer_id": await world.new_customer(),
            "preferred_date": day,
            "preferred_time": start,
            "guest_count": 8,
            "location": LOCATION,
        }
    )


async def fresh_entry(world: World, client: httpx.AsyncClient) -> Call:
    """A waiting entry on a free slot (converting books it)."""
    return Call(path_params={"entry_id": await world.new_entry()})


# reviews and coupons


async def fresh_review(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"review_id": await world.new_review(world.bystander_id)})


async def escalated_review(world: World, client: httpx.AsyncClient) -> Call:
    """A one-star review: an open escalation to resolve."""
    review = await world.new_review(world.bystander_id, rating=1)
    return Call(path_params={"review_id": review}, json={"resolution_notes": "Called them back"})


async def coupon_on_own_booking(world: World, client: httpx.AsyncClient) -> Call:
    """A new coupon (one use per customer) for a new pending booking of the customer."""
    coupon = await world.new_coupon()
    return Call(json={"code": coupon["code"], "booking_id": await world.book()})


# newsletter, QR, pricing, admin


async def fresh_draft(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"campaign_id": await world.new_draft()})


async def fresh_qr(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"campaign_id": (await world.new_qr())["id"]})


async def fresh_menu_item(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"item_id": await world.new_menu_item()})


async def fresh_group(world: World, client: httpx.AsyncClient) -> Call:
    return Call(path_params={"group_id": await world.new_group()})


async def fresh_error_log(world: World, client: httpx.AsyncClient) -> Call:
    """An unresolved error log of ``main`` (resolving twice is 409; deleting is final)."""
    return Call(path_params={"log_id": await world.new_error_log()})


# -- the rows ---------------------------------------------------------------------------------


def at(area: str) -> tuple[str, str]:
    """The two prefixes of an area: the CRM document's ``/api/`` and ``/api/v1/``."""
    return f"/api{area}", f"/api/v1{area}"


BOOKINGS = (*at("/bookings"), "/api/app/bookings")  # the last one deprecated
CUSTOMERS_AT = at("/customers")
NEWSLETTER = at("/newsletter")


def mounted(
    prefixes: tuple[str, ...], rows: dict[tuple[str, str], Row]
) -> dict[tuple[str, str], Row]:
    """One router's rows under each prefix it answers on (the same endpoint functions)."""
    return {
        (method, prefix + path): row for prefix in prefixes for (method, path), row in rows.items()
    }


READ_BOOKINGS = ("bookings:read", "bookings:own")
WRITE_BOOKINGS = ("bookings:write", "bookings:own")
READ_CUSTOMERS = ("customers:read", "customers:own")
WRITE_CUSTOMERS = ("customers:write", "customers:own")
AUTHOR = ("reviews:own", "reviews:moderate")

HEALTH: dict[tuple[str, str], Row] = {
    ("GET", path): Row(public(200))
    for path in (
        "/health",
        "/ready",
        "/live",
        "/metrics",
        "/health/db",
        "/api/health/db",
        "/health/workers",
    )
} | {
    # a status for anyone, more for operators: credentials are read, so a revoked key
    # is refused as everywhere else
    ("GET", path): Row(optional_credentials(200))
    for path in ("/info", "/health/features")
}

AUTH: dict[tuple[str, str], Row] = {
    ("POST", "/login"): Row(public(200), login),
    ("POST", "/register"): Row(public(201), register),
    ("GET", "/me"): Row(user_only(200)),
    ("POST", "/refresh"): Row(public(200), fresh_session),
    # "revokes the session of the refresh token given": anyone signed in may end a
    # session whose refresh token they hold (an API key too)
    ("POST", "/logout"): Row(signed_in(204), fresh_session),
    ("POST", "/mfa/setup"): Row(user_only(200), mfa_off, take_turns),
    ("POST", "/mfa/verify"): Row(user_only(200), mfa_set_up, take_turns),
    ("POST", "/mfa/disable"): Row(user_only(200), mfa_on, take_turns),
}

STATION_AUTH: dict[tuple[str, str], Row] = {
    ("POST", "/login"): Row(public(200), station_login),
    ("POST", "/register"): Row(public(201), register_station),
    ("GET", "/me"): Row(signed_in(200)),
}

STATIONS: dict[tuple[str, str], Row] = {
    ("GET", ""): Row(super_admin_only(200)),
    ("POST", ""): Row(super_admin_only(201), sends(lambda _: {"name": f"Matrix {unique()}"})),
    ("GET", "/{station_id}"): Row(super_admin_only(200), names(station_id="spare_station")),
    ("PUT", "/{station_id}"): Row(
        super_admin_only(200),
        sends(lambda _: {"name": f"Renamed {unique()}"}, station_id="spare_station"),
    ),
    ("DELETE", "/{station_id}"): Row(super_admin_only(204), fresh_station),
}

USERS: dict[tuple[str, str], Row] = {
    ("GET", ""): Row(needs(200, "users:read")),
    # in ``main``, named by station_id: only a super admin assigns users to another
    # station.  The outsider is refused with 403 (the documents' "another station's id
    # answers 404" speaks of tenant rows and X-Station-ID; the app's reading, kept)
    ("POST", ""): Row(
        {**needs(201, "users:manage"), "outsider": 403},
        sends(
            lambda w: {
                "email": email("user"),
                "password": PASSWORD,
                "role": "staff",
                "station_id": w.station_id,
            }
        ),
    ),
    ("GET", "/{user_id}"): Row(needs(200, "users:read", record="station"), names(user_id="user")),
    ("PUT", "/{user_id}"): Row(
        needs(200, "users:manage", record="station"),
        sends({"full_name": "Renamed Staff"}, user_id="user"),
    ),
    ("DELETE", "/{user_id}"): Row(needs(204, "users:manage", record="station"), fresh_user),
}

API_KEYS: dict[tuple[str, str], Row] = {
    ("GET", ""): Row(needs(200, "apikeys:manage")),
    ("POST", ""): Row(
        needs(201, "apikeys:manage"),
        sends(lambda _: {"name": f"Key {unique()}", "permissions": ["bookings:read"]}),
    ),
    ("DELETE", "/{key_id}"): Row(needs(204, "apikeys:manage", record="station"), fresh_key),
}

PRICING: dict[tuple[str, str], Row] = {
    ("GET", "/pricing"): Row(public_station(200)),
    ("PUT", "/pricing"): Row(needs(200, "pricing:manage"), sends({"tax_rate": 0})),
    ("POST", "/pricing/quote"): Row(
        public_station(200), sends({"guest_count": 8, "menu": "adult"})
    ),
    ("GET", "/menu-items"): Row(public_station(200)),
    ("POST", "/menu-items"): Row(
        needs(201, "pricing:manage"),
        sends(lambda _: {"name": f"Dish {unique()}", "category": "side", "price": "5.00"}),
    ),
    ("PUT", "/menu-items/{item_id}"): Row(
        needs(200, "pricing:manage", record="station"),
        sends({"price": "21.00"}, item_id="menu_item"),
    ),
    ("DELETE", "/menu-items/{item_id}"): Row(
        needs(204, "pricing:manage", record="station"), fresh_menu_item
    ),
}

BOOKING_ROWS: dict[tuple[str, str], Row] = {
    ("GET", ""): Row(needs(200, *READ_BOOKINGS, any_of=True)),
    # a customer books for themselves, whatever the body names
    # staff book for the customer named by id (another station has no such customer); a
    # customer books for themselves, whatever the body names
    ("POST", ""): Row(
        {**needs(201, *WRITE_BOOKINGS, any_of=True, record="customer"), "other_customer": 201},
        new_booking,
    ),
    ("GET", "/availability"): Row(public_station(200)),
    # "signed in": any caller of a station, a customer or a key too
    ("GET", "/booked-dates"): Row(signed_in(200)),
    ("GET", "/{booking_id}"): Row(
        needs(200, *READ_BOOKINGS, any_of=True, record="customer"), names(booking_id="booking")
    ),
    # a customer may change their own booking while it is pending (it stays pending)
    ("PUT", "/{booking_id}"): Row(
        needs(200, *WRITE_BOOKINGS, any_of=True, record="customer"),
        sends({"special_requests": "Extra napkins"}, booking_id="booking"),
    ),
    ("POST", "/{booking_id}/cancel"): Row(
        needs(200, *WRITE_BOOKINGS, any_of=True, record="customer"), fresh_booking
    ),
    ("DELETE", "/{booking_id}"): Row(
        needs(204, "bookings:delete", record="customer"), fresh_booking
    ),
}

PUBLIC_FORMS: dict[tuple[str, str], Row] = {
    ("POST", "/bookings"): Row(public_station(201), public_booking),
    ("POST", "/leads"): Row(
        public_station(201),
        sends(lambda _: {"name": "Lee Lead", "phone": phone(), "email": email("lead")}),
    ),
}

CUSTOMER_ROWS: dict[tuple[str, str], Row] = {
    ("GET", ""): Row(needs(200, "customers:read")),
    ("POST", ""): Row(needs(201, "customers:write"), new_customer),
    ("POST", "/create-or-update"): Row(needs(201, "customers:write"), new_customer),
    # ?email= the customer's: another station has no such customer
    ("GET", "/find-by-email"): Row(needs(200, "customers:read", record="customer")),
    # ?customer_id= the customer's
    ("GET", "/dashboard"): Row(needs(200, *READ_CUSTOMERS, any_of=True, record="customer")),
    ("GET", "/{customer_id}"): Row(
        needs(200, *READ_CUSTOMERS, any_of=True, record="customer"),
        names(customer_id="customer_id"),
    ),
    # not a staff-only field (contact details, notes, payment ids are)
    ("PUT", "/{customer_id}"): Row(
        needs(200, *WRITE_CUSTOMERS, any_of=True, record="customer"),
        sends({"dietary_restrictions": ["vegetarian"]}, customer_id="customer_id"),
    ),
    ("GET", "/{customer_id}/preferences"): Row(
        needs(200, *READ_CUSTOMERS, any_of=True, record="customer"),
        names(customer_id="customer_id"),
    ),
    ("PUT", "/{customer_id}/preferences"): Row(
        needs(200, *WRITE_CUSTOMERS, any_of=True, record="customer"),
        sends({"preferred_contact": "email"}, customer_id="customer_id"),
    ),
    # staff's (customers:read): "*:own" names the customer's record and dashboard, not
    # its analytics (the documents' sentence on both is ambiguous; the app's reading)
    ("GET", "/{customer_id}/analytics"): Row(
        needs(200, "customers:read", record="customer"), names(customer_id="customer_id")
    ),
}

LEAD_ROWS: dict[tuple[str, str], Row] = {
    ("GET", ""): Row(needs(200, "leads:read")),
    ("POST", ""): Row(
        needs(201, "leads:write"), sends(lambda _: {"name": "Walk In", "email": email("lead")})
    ),
    ("GET", "/social-threads"): Row(needs(200, "leads:read")),
    # linked to a lead of ``main``
    ("POST", "/social-threads"): Row(
        needs(201, "leads:write", record="station"),
        sends(
            lambda w: {
                "platform": "instagram",
                "external_thread_id": f"matrix-{unique()}",
                "lead_id": w.lead,
            }
        ),
    ),
    ("GET", "/{lead_id}"): Row(needs(200, "leads:read", record="station"), names(lead_id="lead")),
    ("PUT", "/{lead_id}"): Row(
        needs(200, "leads:write", record="station"),
        sends({"message": "Called back"}, lead_id="lead"),
    ),
    ("DELETE", "/{lead_id}"): Row(needs(204, "leads:delete", record="station"), fresh_lead),
    ("POST", "/{lead_id}/events"): Row(
        needs(201, "leads:write", record="station"),
        sends({"event_type": "note", "description": "Matrix"}, lead_id="lead"),
    ),
    ("GET", "/{lead_id}/nurture-sequence"): Row(
        needs(200, "leads:read", record="station"), names(lead_id="lead")
    ),
    # "makes the customer": a lead's writer who may also write customers
    ("POST", "/{lead_id}/convert"): Row(
        needs(201, "leads:write", "customers:write", record="station"), fresh_lead
    ),
}

WAITLIST: dict[tuple[str, str], Row] = {
    ("GET", ""): Row(needs(200, "waitlist:read")),
    ("POST", ""): Row(needs(201, "waitlist:write", record="station"), new_waitlist_entry),
    ("GET", "/{entry_id}"): Row(
        needs(200, "waitlist:read", record="station"), names(entry_id="entry")
    ),
    ("DELETE", "/{entry_id}"): Row(needs(204, "waitlist:write", record="station"), fresh_entry),
    # "books the slot through the booking rules": it takes writing bookings as well
    ("POST", "/{entry_id}/convert"): Row(
        needs(201, "waitlist:write", "bookings:write", record="station"), fresh_entry
    ),
}

REVIEWS: dict[tuple[str, str], Row] = {
    ("GET", "/admin/escalated"): Row(needs(200, "reviews:read")),
    # "Analytics need analytics:read" is said of the analytics area; the reviews area's
    # figures are also open to review readers (ambiguous; the app's reading)
    ("GET", "/admin/analytics"): Row(needs(200, "analytics:read", "reviews:read", any_of=True)),
    ("POST", "/ai/issue-coupon"): Row(
        needs(201, "coupons:manage", record="station"),
        sends(
            lambda w: {
                "discount_type": "fixed",
                "discount_value": 25,
                "notify_customer": False,
                "customer_id": w.customer_id,
            }
        ),
    ),
    # the documents name no permission: any caller of the station may ask whether a
    # code is valid (the app's reading; customers need it before booking)
    ("POST", "/coupons/validate"): Row(signed_in(200), sends(lambda w: {"code": w.coupon_code})),
    # coupons:apply, on the customer's own booking; staff apply one as a booking change
    # (bookings:write; the documents are silent, the app's reading)
    ("POST", "/coupons/apply"): Row(
        needs(200, "coupons:apply", "bookings:write", any_of=True, record="customer"),
        coupon_on_own_booking,
    ),
    ("GET", "/coupons"): Row(needs(200, "coupons:read")),
    ("GET", "/coupons/{coupon_id}"): Row(
        needs(200, "coupons:read", record="station"), names(coupon_id="coupon")
    ),
    ("PATCH", "/coupons/{coupon_id}"): Row(
        needs(200, "coupons:manage", record="station"),
        sends({"max_uses": 500}, coupon_id="coupon"),
    ),
    ("PUT", "/coupons/{coupon_id}"): Row(
        needs(200, "coupons:manage", record="station"),
        sends({"max_uses": 500}, coupon_id="coupon"),
    ),
    ("GET", "/customers/{customer_id}/reviews"): Row(
        needs(200, "reviews:read", "reviews:own", any_of=True, record="customer"),
        names(customer_id="customer_id"),
    ),
    # about the bystander, a customer of ``main``
    ("POST", "/track-external"): Row(
        needs(201, "reviews:moderate", record="station"),
        sends(
            lambda w: {
                "source": "google",
                "external_id": f"g-{unique()}",
                "rating": 5,
                "customer_id": w.bystander_id,
            }
        ),
    ),
    ("GET", ""): Row(public_station(200)),
    # the customer reviews their own completed booking; moderators record one for them
    ("POST", ""): Row(needs(201, *AUTHOR, any_of=True, record="customer"), reviewable_booking),
    ("GET", "/{review_id}"): Row(public_station(200, names_record=True), names(review_id="review")),
    # the author edits their review (the customer's); moderators too
    ("PUT", "/{review_id}"): Row(
        needs(200, *AUTHOR, any_of=True, record="customer"),
        sends({"title": "Even better"}, review_id="review"),
    ),
    ("DELETE", "/{review_id}"): Row(needs(204, "reviews:moderate", record="station"), fresh_review),
    ("POST", "/{review_id}/resolve"): Row(
        needs(200, "reviews:moderate", record="station"), escalated_review
    ),
}

NEWSLETTER_ROWS: dict[tuple[str, str], Row] = {
    ("POST", "/subscribe"): Row(public_station(201), sends(lambda _: {"email": email("reader")})),
    # "never reveals who is subscribed": the same answer for any address
    ("POST", "/unsubscribe"): Row(public_station(200), sends(lambda _: {"email": email("gone")})),
    # addressed by the unguessable token of an email's link, not by a station: anyone
    # holding the link may use it, and it answers the same once used (idempotent)
    ("GET", "/unsubscribe/{token}"): Row(public(200), names(token="unsubscribe_token")),
    ("POST", "/unsubscribe/{token}"): Row(public(200), names(token="unsubscribe_token")),
    ("GET", "/track/open/{token}.gif"): Row(public(200), names(token="delivery_token")),
    ("GET", "/track/click/{token}"): Row(public(302), names(token="delivery_token")),
    ("GET", "/subscribers"): Row(needs(200, "newsletter:read")),
    ("GET", "/campaigns"): Row(needs(200, "newsletter:read")),
    ("POST", "/campaigns"): Row(
        needs(201, "newsletter:manage"),
        sends({"name": "Matrix", "subject": "Matrix special", "content": CONTENT}),
    ),
    ("GET", "/campaigns/{campaign_id}"): Row(
        needs(200, "newsletter:read", record="station"), names(campaign_id="campaign")
    ),
    ("PUT", "/campaigns/{campaign_id}"): Row(
        needs(200, "newsletter:manage", record="station"),
        sends({"subject": "Matrix special, again"}, campaign_id="campaign"),
    ),
    ("DELETE", "/campaigns/{campaign_id}"): Row(
        needs(204, "newsletter:manage", record="station"), fresh_draft
    ),
    ("POST", "/campaigns/{campaign_id}/send"): Row(
        needs(202, "campaigns:send", record="station"), fresh_draft
    ),
    ("GET", "/campaigns/{campaign_id}/stats"): Row(
        needs(200, "newsletter:read", record="station"), names(campaign_id="sent_campaign")
    ),
    ("GET", "/campaigns/{campaign_id}/deliveries"): Row(
        needs(200, "newsletter:read", record="station"), names(campaign_id="sent_campaign")
    ),
}

QR: dict[tuple[str, str], Row] = {
    ("POST", "/campaigns"): Row(
        needs(201, "qr:manage"),
        sends({"name": "Matrix QR", "target_url": "https://myhibachi.com/menu"}),
    ),
    ("GET", "/campaigns"): Row(needs(200, "qr:read")),
    ("GET", "/campaigns/{campaign_id}"): Row(
        needs(200, "qr:read", record="station"), names(campaign_id="qr")
    ),
    ("PUT", "/campaigns/{campaign_id}"): Row(
        needs(200, "qr:manage", record="station"),
        sends({"description": "On the truck"}, campaign_id="qr"),
    ),
    # deactivates it and answers the campaign
    ("DELETE", "/campaigns/{campaign_id}"): Row(
        needs(200, "qr:manage", record="station"), fresh_qr
    ),
    ("GET", "/campaigns/{campaign_id}/analytics"): Row(
        needs(200, "qr:read", record="station"), names(campaign_id="qr")
    ),
    # the printed code names its station: anyone holding it may scan
    ("POST", "/track/{code}"): Row(public(200), names(code="qr_code")),
    ("GET", "/track/{code}"): Row(public(302), names(code="qr_code")),
}

ANALYTICS: dict[tuple[str, str], Row] = {
    ("GET", path): Row(needs(200, "analytics:read"))
    for path in (
        "/analytics",
        "/analytics/dashboard",
        "/analytics/revenue",
        "/analytics/customers",
        "/customer-analytics",
        "/analytics/bookings",
        "/bookings/stats",
        "/kpis",
    )
}

CRM_ANALYTICS: dict[tuple[str, str], Row] = {
    ("GET", path): Row(needs(200, "analytics:read"))
    for path in ("/revenue", "/customers", "/bookings")
}

ADMIN: dict[tuple[str, str], Row] = {
    ("GET", "/error-logs"): Row(needs(200, "errors:manage")),
    ("GET", "/error-logs/{log_id}"): Row(
        needs(200, "errors:manage", record="station"), names(log_id="error_log")
    ),
    ("POST", "/error-logs/{log_id}/resolve"): Row(
        needs(200, "errors:manage", record="station"), fresh_error_log
    ),
    ("DELETE", "/error-logs/{log_id}"): Row(
        needs(204, "errors:manage", record="station"), fresh_error_log
    ),
    ("GET", "/audit-logs"): Row(needs(200, "audit:read")),
    ("GET", "/audit-logs/{entry_id}"): Row(
        needs(200, "audit:read", record="station"), names(entry_id="audit_entry")
    ),
    ("GET", "/notification-groups"): Row(needs(200, "notifications:manage")),
    ("POST", "/notification-groups"): Row(
        needs(201, "notifications:manage"),
        sends(
            lambda _: {
                "name": f"Group {unique()}",
                "event_types": ["booking_cancelled"],
                "channels": ["sms"],
                "phones": ["+14085550199"],
            }
        ),
    ),
    ("GET", "/notification-groups/{group_id}"): Row(
        needs(200, "notifications:manage", record="station"), names(group_id="group")
    ),
    ("PUT", "/notification-groups/{group_id}"): Row(
        needs(200, "notifications:manage", record="station"),
        sends({"description": "Who hears about bookings"}, group_id="group"),
    ),
    ("DELETE", "/notification-groups/{group_id}"): Row(
        needs(204, "notifications:manage", record="station"), fresh_group
    ),
}

MONITORING: dict[tuple[str, str], Row] = {
    # reports the caller's own tier: open to everyone
    ("GET", "/rate-limit/status"): Row(public(200)),
}

ROWS: dict[tuple[str, str], Row] = {
    **HEALTH,
    **mounted(at("/auth"), AUTH),
    **mounted(at("/station/auth"), STATION_AUTH),
    **mounted(at("/admin/stations"), STATIONS),
    **mounted(at("/users"), USERS),
    **mounted(at("/admin/api-keys"), API_KEYS),
    **mounted(at(""), PRICING),
    **mounted(BOOKINGS, BOOKING_ROWS),
    **mounted(at("/public"), PUBLIC_FORMS),
    **mounted(CUSTOMERS_AT, CUSTOMER_ROWS),
    **mounted(at("/leads"), LEAD_ROWS),
    **mounted(at("/waitlist"), WAITLIST),
    **mounted(at("/reviews"), REVIEWS),
    **mounted(NEWSLETTER, NEWSLETTER_ROWS),
    **mounted(at("/qr"), QR),
    **mounted(at("/admin"), ANALYTICS),
    **mounted(at("/analytics"), CRM_ANALYTICS),
    **mounted(at("/admin"), ADMIN),
    **mounted(at("/monitoring"), MONITORING),
}
