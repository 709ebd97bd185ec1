"""Operator commands of the hibachi app: ensure the super admin, load demo data."""

from __future__ import annotations

import random
from datetime import time, timedelta

from rich.progress import Progress
from sqlalchemy import select

from trident.apps.hibachi.config import HibachiSettings
from trident.apps.hibachi.customers.service import find_or_create_customer
from trident.apps.hibachi.leads.scoring import score_lead
from trident.apps.hibachi.models import Booking, Lead, Review, Role, Station, StationStatus, User
from trident.apps.hibachi.pricing import service as pricing
from trident.apps.hibachi.pricing.engine import Line, quote
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.apps.hibachi.stations.service import create_station
from trident.core.clock import today_in, utcnow
from trident.core.security.passwords import hash_password

DEMO_PASSWORD = "DemoPass123!"
DEMO_USERS = [
    ("superadmin@demo.myhibachi.dev", "Sam Super", Role.SUPER_ADMIN),
    ("admin@demo.myhibachi.dev", "Ada Admin", Role.ADMIN),
    ("staff@demo.myhibachi.dev", "Stu Staff", Role.STAFF),
]
FIRST = ["Jane", "John", "Maria", "Wei", "Priya", "Carlos", "Aiko", "Omar", "Lena", "Tom"]
LAST = ["Smith", "Doe", "Garcia", "Chen", "Patel", "Lopez", "Tanaka", "Haddad", "Novak", "Brown"]
CITIES = ["San Jose, CA", "Sacramento, CA", "Folsom, CA", "Roseville, CA", "Fremont, CA"]
EVENT_TYPES = ["birthday", "wedding", "corporate", "anniversary", "other"]
LEAD_SOURCES = ["website", "instagram", "facebook", "referral", "google", "phone"]
LEAD_STATUSES = ["new", "new", "contacted", "qualified", "quoted", "lost"]
REVIEW_COMMENTS = {
    5: "Amazing chef, the kids loved the onion volcano!",
    4: "Great food and a fun show; setup ran a little late.",
    3: "Good food, but the chef arrived 30 minutes late.",
    2: "Food was cold by the time the second table was served.",
}
#: what a developer signs in with; printed by every ``make serve``
DEMO_ACCOUNTS = f"demo users (password {DEMO_PASSWORD}): " + ", ".join(
    f"{e} ({r.value})" for e, _n, r in DEMO_USERS
)


async def _default_station(rt: HibachiRuntime, db) -> Station:  # type: ignore[no-untyped-def]
    station = await db.scalar(select(Station).where(Station.code == rt.settings.default_station))
    if station is None:
        station = await create_station(
            rt,
            db,
            name="MyHibachi Bay Area",
            code=rt.settings.default_station,
            status=StationStatus.ACTIVE,
            city="San Jose",
            state="CA",
        )
    return station


async def ensure_admin(settings: HibachiSettings, email: str, password: str) -> str:
    """Create the super admin (home: the default station), or promote an existing account."""
    runtime = HibachiRuntime(settings)
    try:
        async with runtime.unit_of_work() as db:
            email = email.strip().lower()
            station = await _default_station(runtime, db)
            user = await db.scalar(select(User).where(User.email == email))
            if user is None:
                db.add(
                    User(
                        email=email,
                        hashed_password=await hash_password(password),
                        full_name="Super Admin",
                        role=Role.SUPER_ADMIN,
                        station_id=station.id,
                    )
                )
                return f"created super admin {email}"
            user.role = Role.SUPER_ADMIN
            user.is_active = True
            return f"{email} is a super admin"
    finally:
        await runtime.db.dispose()


async def seed(settings: HibachiSettings) -> list[str]:
    """A station, its staff, and a few weeks of customers and bookings. Runs once."""
    runtime = HibachiRuntime(settings)
    rng = random.Random(11)  # noqa: S311  (the same demo data on every machine)
    try:
        async with runtime.unit_of_work() as db:
            if await db.scalar(select(User.id).where(User.email == DEMO_USERS[0][0])):
                return ["demo data already present", DEMO_ACCOUNTS]
            with Progress() as progress:
                task = progress.add_task("seeding hibachi", total=5)
                station = await _default_station(runtime, db)
                hashed = await hash_password(DEMO_PASSWORD)
                db.add_all(
                    User(
                        email=email,
                        hashed_password=hashed,
                        full_name=name,
                        role=role,
                        station_id=station.id,
                    )
                    for email, name, role in DEMO_USERS
                )
                await db.flush()
                progress.advance(task)

                customers = []
                for i in range(30):
                    first, last = FIRST[i % len(FIRST)], LAST[(i * 3) % len(LAST)]
                    customers.append(
                        await find_or_create_customer(
                            runtime,
                            db,
                            station.id,
                            name=f"{first} {last}",
                            email=f"{first}.{last}{i}@example.com".lower(),
                            phone=f"+1408555{1000 + i:04d}",
                            source="seed",
                        )
                    )
                progress.advance(task)

                config = await pricing.station_config(db, station.id)
                menu = await pricing.repository.menu_by_code(db, station.id, "adult")
                assert menu is not None
                today = today_in(station.timezone)
                taken: set[tuple[object, str]] = set()
                bookings: list[Booking] = []
                for _ in range(60):
                    day = today + timedelta(days=rng.randint(-28, 28))
                    if day.weekday() in config.closed_weekdays:
                        continue
                    slot = rng.choice(config.slot_times)
                    if (day, slot) in taken:
                        continue
                    taken.add((day, slot))
                    guests = rng.randint(6, 40)
                    lines = [Line(menu.name, guests, menu.price_per_guest_cents, menu_code="adult")]
                    priced = quote(pricing.rules_of(config), lines)
                    past = day < today
                    status = (
                        rng.choice(["completed", "completed", "cancelled"])
                        if past
                        else rng.choice(["pending", "confirmed", "confirmed"])
                    )
                    booking = Booking(
                        station_id=station.id,
                        customer_id=rng.choice(customers).id,
                        event_date=day,
                        event_time=time(int(slot[:2]), int(slot[3:])),
                        slot_time=slot,
                        status=status,
                        guest_count=guests,
                        menu_code="adult",
                        event_type=rng.choice(EVENT_TYPES),
                        location=rng.choice(CITIES),
                        menu_items=[
                            {
                                "menu_item_id": None,
                                "menu": "adult",
                                "name": menu.name,
                                "quantity": guests,
                                "unit_cents": menu.price_per_guest_cents,
                            }
                        ],
                        source=rng.choice(["website", "phone", "admin", "booking_form"]),
                        subtotal_cents=priced.subtotal_cents,
                        discount_cents=0,
                        tax_cents=priced.tax_cents,
                        service_fee_cents=priced.service_fee_cents,
                        total_cents=priced.total_cents,
                        deposit_cents=priced.deposit_cents,
                        amount_paid_cents=priced.total_cents
                        if status == "completed"
                        else (priced.deposit_cents if status == "confirmed" else 0),
                        confirmed_at=utcnow() if status in ("confirmed", "completed") else None,
                        completed_at=utcnow() if status == "completed" else None,
                        cancelled_at=utcnow() if status == "cancelled" else None,
                    )
                    db.add(booking)
                    await db.flush()
                    booking.reference_number = f"BK-{booking.created_at.year}-{booking.id:05d}"
                    bookings.append(booking)
                progress.advance(task)

                for i in range(25):
                    first, last = FIRST[(i * 7) % len(FIRST)], LAST[(i * 2) % len(LAST)]
                    source = rng.choice(LEAD_SOURCES)
                    guests = rng.choice([None, 8, 15, 30, 60])
                    event_day = today + timedelta(days=rng.randint(5, 90))
                    db.add(
                        Lead(
                            station_id=station.id,
                            name=f"{first} {last}",
                            email=f"lead.{first}.{last}{i}@example.com".lower(),
                            phone=f"+1916555{2000 + i:04d}",
                            message="Interested in a hibachi party",
                            source=source,
                            status=rng.choice(LEAD_STATUSES),
                            score=score_lead(
                                source=source,
                                guest_count=guests,
                                event_date=event_day,
                                today=today,
                                interactions=0,
                                has_email=True,
                                has_phone=True,
                            ),
                            guest_count=guests,
                            event_date=event_day,
                            event_type=rng.choice(EVENT_TYPES),
                            location=rng.choice(CITIES),
                        )
                    )
                progress.advance(task)

                completed = [b for b in bookings if b.status == "completed"]
                for booking in completed[: max(1, len(completed) * 2 // 3)]:
                    rating = rng.choice([5, 5, 5, 4, 4, 3, 2])
                    db.add(
                        Review(
                            station_id=station.id,
                            customer_id=booking.customer_id,
                            booking_id=booking.id,
                            rating=rating,
                            comment=REVIEW_COMMENTS[rating],
                            source="internal",
                            status="published",
                            escalated_at=utcnow() if rating <= 2 else None,
                        )
                    )
                progress.advance(task)
            return [
                f"demo station: {station.name} (code {station.code}, id {station.id})",
                DEMO_ACCOUNTS,
                f"demo data: {len(customers)} customers, {len(bookings)} bookings, 25 leads, "
                "reviews of completed bookings",
            ]
    finally:
        await runtime.db.dispose()
