"""A test client that speaks the MyHibachi API the way its frontends do."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from trident.core.clock import today_in

PASSWORD = "SecurePass123!"
ROOT_EMAIL = "root@example.com"
ROOT_PASSWORD = "RootPass123!"
_counter = itertools.count(1)


@dataclass
class Actor:
    email: str
    user_id: int
    role: str
    station_id: int | None
    access_token: str
    refresh_token: str

    def headers(self, station: int | str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.access_token}"}
        if station is not None:
            headers["X-Station-ID"] = str(station)
        return headers


#: the business time zone the tests' app runs in (``make_settings`` pins it)
TIMEZONE = "America/Los_Angeles"


def business_today() -> date:
    """Today as the app sees it: the business day of its time zone, from its clock."""
    return today_in(TIMEZONE)


def future_day(days_ahead: int = 30) -> date:
    """A bookable day at least ``days_ahead`` days from today (never a Monday)."""
    day = business_today() + timedelta(days=days_ahead)
    while day.weekday() == 0:
        day += timedelta(days=1)
    return day


def next_weekday(weekday: int, days_ahead: int = 14) -> date:
    day = business_today() + timedelta(days=days_ahead)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


class Client(httpx.AsyncClient):
    root: Actor

    async def sign_in(self, email: str, password: str = PASSWORD, **extra: Any) -> Actor:
        response = await self.post(
            "/api/auth/login", json={"email": email, "password": password, **extra}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        user = body["user"]
        return Actor(
            email=email,
            user_id=user["id"],
            role=user["role"],
            station_id=user["station_id"],
            access_token=body["access_token"],
            refresh_token=body["refresh_token"],
        )

    async def sign_in_root(self) -> Actor:
        self.root = await self.sign_in(ROOT_EMAIL, ROOT_PASSWORD)
        return self.root

    async def station(self, name: str | None = None, **fields: Any) -> dict[str, Any]:
        """A new active station, created by the super admin."""
        payload = {"name": name or f"Station {next(_counter)}", **fields}
        response = await self.post("/api/admin/stations", json=payload, headers=self.root.headers())
        assert response.status_code == 201, response.text
        return response.json()

    async def staff(self, role: str = "admin", station: int | str = "main") -> Actor:
        """A signed-in user with ``role`` in ``station`` (created by the super admin)."""
        email = f"{role}{next(_counter)}@example.com"
        response = await self.post(
            "/api/users",
            json={"email": email, "password": PASSWORD, "role": role, "full_name": "Test User"},
            headers=self.root.headers(station),
        )
        assert response.status_code == 201, response.text
        return await self.sign_in(email)

    async def customer(self, station_code: str | None = None) -> Actor:
        """A customer account registered through the public API, signed in."""
        email = f"customer{next(_counter)}@example.com"
        payload: dict[str, Any] = {"email": email, "password": PASSWORD, "full_name": "Cus Tomer"}
        if station_code:
            payload["station_code"] = station_code
        response = await self.post("/api/auth/register", json=payload)
        assert response.status_code == 201, response.text
        body = response.json()
        return Actor(
            email=email,
            user_id=body["user"]["id"],
            role="customer",
            station_id=body["user"]["station_id"],
            access_token=body["access_token"],
            refresh_token=body["refresh_token"],
        )

    async def book(self, actor: Actor, **overrides: Any) -> dict[str, Any]:
        """A booking made through the API (by staff: for a new customer)."""
        payload: dict[str, Any] = {
            "date": future_day().isoformat(),
            "time": "18:00",
            "guests": 8,
            "menu": "adult",
            "location": "123 Main St, San Jose, CA",
            "customer_email": f"guest{next(_counter)}@example.com",
            "customer_name": "John Doe",
            "customer_phone": "+14085550100",
        }
        payload.update(overrides)
        station = payload.pop("station", None)
        response = await self.post("/api/v1/bookings", json=payload, headers=actor.headers(station))
        assert response.status_code == 201, response.text
        return response.json()
