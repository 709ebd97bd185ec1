"""Twenty requests for one slot at the same instant: exactly one booking.

The database decides (a partial unique index on station, date and slot), not a
check-then-insert, so this holds on SQLite (serialised writers) and on PostgreSQL
(concurrent transactions, one unique-index winner) alike."""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.hibachi.helpers import Client, future_day


async def _race(client: Client, same_customer: bool) -> tuple[Counter[int], dict[str, object]]:
    admin = await client.staff("admin")
    day = future_day().isoformat()

    async def attempt(n: int) -> int:
        email = "racer@example.com" if same_customer else f"racer{n}@example.com"
        response = await client.post(
            "/api/v1/bookings",
            json={
                "date": day,
                "time": "18:00",
                "guests": 8,
                "location": "San Jose, CA",
                "customer_email": email,
                "customer_name": f"Racer {n}",
            },
            headers=admin.headers(),
        )
        return response.status_code

    statuses = Counter(await asyncio.gather(*(attempt(n) for n in range(20))))
    listing = await client.get(
        "/api/v1/bookings", params={"date_from": day, "date_to": day}, headers=admin.headers()
    )
    return statuses, listing.json()


async def test_twenty_customers_one_slot_one_booking(client: Client) -> None:
    statuses, listing = await _race(client, same_customer=False)
    assert statuses == Counter({201: 1, 409: 19})
    assert listing["total"] == 1


async def test_one_customer_twenty_tries_one_booking_and_one_customer(client: Client) -> None:
    statuses, listing = await _race(client, same_customer=True)
    assert statuses == Counter({201: 1, 409: 19})
    assert listing["total"] == 1
    admin = await client.staff("admin")
    found = await client.get(
        "/api/v1/customers/find-by-email",
        params={"email": "racer@example.com"},
        headers=admin.headers(),
    )
    assert found.status_code == 200
