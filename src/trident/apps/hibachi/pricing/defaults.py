"""What a new station starts with.  The numbers reproduce the newest document's
booking example (8 guests on the adult menu: total 800.00, deposit 100.00)."""

from __future__ import annotations

from decimal import Decimal

CONFIG = {
    "currency": "usd",
    "tax_rate": Decimal("0"),
    "service_fee_rate": Decimal("0"),
    "deposit_type": "fixed",
    "deposit_value": Decimal("100.00"),
    "minimum_order_cents": 55_000,
    "min_guests": 1,
    "max_guests": 500,
    "slot_times": ["12:00", "15:00", "18:00", "21:00"],
    "slot_duration_minutes": 180,
    "closed_weekdays": [0],  # Monday (the 2025-10-25 document: "restaurant closed")
    "min_days_ahead": 1,
}

#: (code, name, price per guest in cents, description)
MENUS = [
    ("adult", "Adult (13+)", 10_000, "Two proteins, fried rice, vegetables, salad and sake sauce"),
    ("kids", "Kids (12 and under)", 5_000, "One protein, fried rice and vegetables"),
    ("premium", "Premium", 13_000, "Filet mignon and lobster tail, with every side"),
]

#: (name, category, price in cents)
MENU_ITEMS = [
    ("Hibachi Chicken", "protein", 2_500),
    ("Hibachi Steak", "protein", 3_500),
    ("Hibachi Shrimp", "protein", 3_000),
    ("Hibachi Salmon", "protein", 3_200),
    ("Tofu", "protein", 2_000),
    ("Filet Mignon Upgrade", "upgrade", 1_500),
    ("Lobster Tail Upgrade", "upgrade", 1_500),
    ("Fried Rice", "side", 800),
    ("Vegetables", "side", 600),
    ("Yakisoba Noodles", "side", 800),
    ("Gyoza (6)", "appetizer", 1_000),
    ("Edamame", "appetizer", 600),
]
