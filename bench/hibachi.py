"""The hibachi app at scale: a bulk loader and the requests its frontends really make.

At scale ``N`` the main tables (bookings, customers, leads, reviews) hold ``N`` rows
each, spread over ``N / 1000`` stations.  The benchmarked station ("main") holds the
same slice at every scale (10,000 bookings over seven years, 10,000 customers, 5,000
leads, 2,000 reviews), so the 1M/10k ratio shows what the *table* size costs: an
index that is missing, a count or a sort that reads the whole table.  Creates go to a
second station, so the read scenarios' station never changes between runs.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.bulk import Rows, insert_all
from bench.scenario import NEXT_DATE, NEXT_TIME, Scenario
from trident.apps.hibachi.db import KEYRING
from trident.apps.hibachi.models import Base
from trident.apps.hibachi.pricing import defaults
from trident.core.security.fields import FieldCipher, install_field_cipher

APP = "hibachi"
PASSWORD = "Bench-password-1"
READER = "reader@bench.example.com"
WRITER = "writer@bench.example.com"
ENCRYPTION_KEY = "bench-field-encryption-key-" + "e" * 32
INDEX_KEY = "bench-field-index-key-" + "i" * 32
#: the server must read the customers the loader encrypted
ENV = {
    "HIBACHI_FIELD_ENCRYPTION_KEY": ENCRYPTION_KEY,
    "HIBACHI_FIELD_INDEX_KEY": INDEX_KEY,
    # each measured run of "create booking" books days no earlier run used
    # (bench/loadgen._RUN_OFFSETS): a whole bench spans decades of the calendar
    "HIBACHI_BOOKING_HORIZON_DAYS": "36500",
}

MAIN, WRITER_STATION = 1, 2
MAIN_BOOKINGS = 10_000
MAIN_CUSTOMERS = 10_000
MAIN_LEADS = 5_000
MAIN_REVIEWS = 2_000
SLOTS = tuple(defaults.CONFIG["slot_times"])  # type: ignore[arg-type]

FIRST = ["Jane", "John", "Maria", "Wei", "Priya", "Carlos", "Aiko", "Omar", "Lena", "Tom",
         "Ana", "Raj", "Yuki", "Sam", "Nina", "Leo", "Ivy", "Max", "Zoe", "Ben"]  # fmt: skip
LAST = ["Smith", "Doe", "Garcia", "Chen", "Patel", "Lopez", "Tanaka", "Haddad", "Novak",
        "Brown", "Kim", "Nguyen", "Silva", "Rossi", "Müller", "Cohen", "Singh", "Ward"]  # fmt: skip
EVENT_TYPES = ["birthday", "wedding", "corporate", "anniversary", "graduation", "other"]
SOURCES = ["website", "instagram", "facebook", "referral", "google", "phone"]
NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()


def _stations(rows: int) -> int:
    """Stations besides main and the writer's."""
    return max(rows // 1_000, 10)


def _share(index: int, main_count: int, others: int) -> int:
    """The station of the ``index``-th row: main for the first ``main_count``."""
    return MAIN if index <= main_count else 3 + index % others


async def load(conn: AsyncConnection, rows: int, progress: Callable[[str, int], None]) -> None:
    """Fill an empty, migrated hibachi database with ``rows`` rows per main table.

    Core ``INSERT`` with many parameter sets per statement (not the ORM row by row);
    ids are given here so foreign keys are known without reading them back.  Customer
    email and phone are encrypted and indexed exactly as the app does it.
    """
    cipher = FieldCipher([ENCRYPTION_KEY], index_key=INDEX_KEY)
    install_field_cipher(KEYRING, cipher)  # the column type encrypts as in the app
    hashed = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1).hash(PASSWORD)
    rng = random.Random(20261123)
    others = _stations(rows)
    station_ids = range(1, 3 + others)
    # the station's customers are ids 1..MAIN_CUSTOMERS; its bookings 1..MAIN_BOOKINGS
    main_customers = min(MAIN_CUSTOMERS, rows)

    def station_rows() -> Iterator[dict[str, Any]]:
        for station_id in station_ids:
            code = {MAIN: "main", WRITER_STATION: "writer"}.get(station_id, f"s{station_id}")
            yield {"id": station_id, "code": code, "name": f"Bench station {station_id}",
                   "status": "active", "timezone": "America/Los_Angeles",
                   "created_at": NOW, "updated_at": NOW}  # fmt: skip

    def pricing_rows() -> Iterator[dict[str, Any]]:
        for station_id in station_ids:
            # every day open: creates walk through consecutive days
            yield {**defaults.CONFIG, "station_id": station_id, "closed_weekdays": [],
                   "updated_at": NOW}  # fmt: skip

    def menu_rows() -> Iterator[dict[str, Any]]:
        next_id = 1
        for station_id in station_ids:
            for order, (code, name, cents, description) in enumerate(defaults.MENUS):
                yield {"id": next_id, "station_id": station_id, "code": code, "name": name,
                       "description": description, "price_per_guest_cents": cents,
                       "is_active": True, "sort_order": order, "created_at": NOW,
                       "updated_at": NOW}  # fmt: skip
                next_id += 1

    def user_rows() -> Iterator[dict[str, Any]]:
        for user_id, email, station_id in ((1, READER, MAIN), (2, WRITER, WRITER_STATION)):
            yield {"id": user_id, "email": email, "hashed_password": hashed,
                   "full_name": "Bench admin", "role": "admin", "station_id": station_id,
                   "is_active": True, "mfa_enabled": False, "created_at": NOW,
                   "updated_at": NOW}  # fmt: skip

    def customer_rows() -> Iterator[dict[str, Any]]:
        for customer_id in range(1, rows + 1):
            email = f"customer{customer_id}@bench.example.com"
            phone = f"+1408{customer_id:07d}"
            yield {
                "id": customer_id,
                "station_id": _share(customer_id, main_customers, others),
                "name": f"{FIRST[customer_id % len(FIRST)]} {LAST[customer_id % len(LAST)]}",
                "email": email,
                "email_hash": cipher.blind_index(email),
                "phone": phone,
                "phone_hash": cipher.blind_index(phone),
                "dietary_restrictions": [],
                "preferences": {},
                "source": "bench",
                "created_at": NOW - timedelta(minutes=customer_id),
                "updated_at": NOW,
            }

    def booking_rows() -> Iterator[dict[str, Any]]:
        main_first_day = TODAY - timedelta(days=MAIN_BOOKINGS // len(SLOTS) // 2)
        per_station: dict[int, int] = {}
        for booking_id in range(1, rows + 1):
            station_id = _share(booking_id, MAIN_BOOKINGS, others)
            if station_id == MAIN:
                sequence = booking_id - 1
                first_day, customers = main_first_day, (1, main_customers)
            else:
                sequence = per_station.get(station_id, 0)
                per_station[station_id] = sequence + 1
                first_day = TODAY - timedelta(days=400)
                customers = (main_customers + 1, max(rows, main_customers + 1))
            day = first_day + timedelta(days=sequence // len(SLOTS))
            slot = SLOTS[sequence % len(SLOTS)]
            guests = rng.randint(6, 40)
            total = max(guests * 10_000, 55_000)
            if day < TODAY:
                status = "completed" if rng.random() < 0.8 else "cancelled"
            else:
                status = "confirmed" if rng.random() < 0.6 else "pending"
            yield {
                "id": booking_id,
                "station_id": station_id,
                "reference_number": f"BK-{NOW.year}-{booking_id:05d}",
                "customer_id": rng.randint(*customers),
                "event_date": day,
                "event_time": time(int(slot[:2]), int(slot[3:])),
                "slot_time": slot,
                "status": status,
                "guest_count": guests,
                "menu_code": "adult",
                "event_type": rng.choice(EVENT_TYPES),
                "location": "San Jose, CA",
                "city": "San Jose",
                "menu_items": [
                    {
                        "menu_item_id": None,
                        "menu": "adult",
                        "name": "Adult (13+)",
                        "quantity": guests,
                        "unit_cents": 10_000,
                    }
                ],
                "source": rng.choice(SOURCES),
                "subtotal_cents": total,
                "discount_cents": 0,
                "tax_cents": 0,
                "service_fee_cents": 0,
                "total_cents": total,
                "deposit_cents": 10_000,
                "amount_paid_cents": total if status == "completed" else 0,
                "created_at": NOW - timedelta(days=30, minutes=booking_id),
                "updated_at": NOW,
            }

    def lead_rows() -> Iterator[dict[str, Any]]:
        for lead_id in range(1, rows + 1):
            yield {
                "id": lead_id,
                "station_id": _share(lead_id, MAIN_LEADS, others),
                "name": f"{FIRST[lead_id % len(FIRST)]} {LAST[(lead_id * 7) % len(LAST)]}",
                "email": f"lead{lead_id}@bench.example.com",
                "phone": f"+1916{lead_id:07d}",
                "source": rng.choice(SOURCES),
                "status": rng.choice(["new", "contacted", "qualified", "converted", "lost"]),
                "score": rng.randint(5, 95),
                "guest_count": rng.randint(6, 60),
                "metadata": {},
                "created_at": NOW - timedelta(minutes=lead_id),
                "updated_at": NOW,
            }

    def review_rows() -> Iterator[dict[str, Any]]:
        for review_id in range(1, rows + 1):
            main = review_id <= MAIN_REVIEWS
            rating = rng.choice([5, 5, 5, 4, 4, 3, 2, 1])
            yield {
                "id": review_id,
                "station_id": MAIN if main else 3 + review_id % others,
                # the main station's reviews are of its first (past) bookings
                "booking_id": review_id if main else None,
                "rating": rating,
                "comment": "Great chef, great food",
                "source": "internal",
                "status": "published",
                "escalated_at": NOW if rating <= 2 else None,
                "created_at": NOW - timedelta(minutes=review_id),
                "updated_at": NOW,
            }

    steps: list[tuple[str, Rows]] = [
        ("stations", station_rows()),
        ("pricing_configs", pricing_rows()),
        ("menus", menu_rows()),
        ("users", user_rows()),
        ("customers", customer_rows()),
        ("bookings", booking_rows()),
        ("leads", lead_rows()),
        ("reviews", review_rows()),
    ]
    await insert_all(
        conn, Base.metadata, steps, progress, without_sequence=["pricing_configs"]
    )  # pricing is keyed by station


async def reset_writes(conn: AsyncConnection) -> None:
    """Free the writer station's calendar: creates walk it from the day after tomorrow,
    and a reused database still holds an earlier run's bookings."""
    await conn.execute(
        delete(Base.metadata.tables["bookings"]).where(
            Base.metadata.tables["bookings"].c.station_id == WRITER_STATION
        )
    )


def total_rows(rows: int) -> int:
    """How many rows ``load`` writes (for the progress bar)."""
    stations = 2 + _stations(rows)
    return stations * (2 + len(defaults.MENUS)) + 2 + 4 * rows


def scenarios() -> list[Scenario]:
    quarter_ago = (TODAY - timedelta(days=90)).isoformat()
    quarter_ahead = (TODAY + timedelta(days=90)).isoformat()
    year_ago = (TODAY - timedelta(days=365)).isoformat()
    a_month_ahead = (TODAY + timedelta(days=30)).isoformat()
    booking = (
        '{"date":"' + NEXT_DATE + '","time":"' + NEXT_TIME + '","guests":8,"menu":"adult",'
        '"location":"123 Main St, San Jose, CA","customer_email":"bench-guest@example.com",'
        '"customer_name":"Bench Guest"}'
    )
    return [
        Scenario(
            "list bookings (20; status and a 6-month range)",
            "GET",
            "/api/v1/bookings?status=confirmed,completed"
            f"&date_from={quarter_ago}&date_to={quarter_ahead}&limit=20",
            user=READER,
            list_of_large_table=True,
        ),
        Scenario(
            "list bookings, deep page (page 250 of 500)",
            "GET",
            "/api/v1/bookings?page=250&limit=20",
            user=READER,
        ),
        Scenario(
            "availability for a date (public)",
            "GET",
            f"/api/v1/bookings/availability?date={a_month_ahead}",
        ),
        Scenario(
            "customer search (a name, 20 of ~550)",
            "GET",
            "/api/v1/customers?search=garcia&limit=20",
            user=READER,
        ),
        Scenario(
            "admin dashboard over a year",
            "GET",
            f"/api/admin/analytics/dashboard?date_from={year_ago}&date_to={TODAY.isoformat()}",
            user=READER,
        ),
        Scenario(
            "create booking",
            "POST",
            "/api/v1/bookings",
            user=WRITER,
            body=booking,
            write=True,
            slot_times=SLOTS,
        ),
    ]


def login_scenario(email: str = READER) -> Scenario:
    """Signing in: the measured scenario, and how the harness gets each user's token."""
    return Scenario(
        "login (argon2id m=19 MiB t=2 p=1)",
        "POST",
        "/api/auth/login",
        body='{"email":"' + email + '","password":"' + PASSWORD + '"}',
    )
