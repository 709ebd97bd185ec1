"""A booking as the API shows it: one row (the booking and its customer's contact)
to its output, with the document's aliases (``date``, ``guests``, ...).

One shape, two uses: :func:`booking_fields` gives plain values (the hot list encodes
them straight to JSON), :func:`booking_out` the validated model (single bookings)."""

from __future__ import annotations

from typing import Any

from trident.apps.hibachi.bookings.schemas import (
    BookingOut,
)
from trident.apps.hibachi.models import Booking
from trident.apps.hibachi.pricing.engine import payment_status
from trident.core.money import cents_to_number

#: the booking columns a booking's output reads: the hot list selects only these
OUTPUT_COLUMNS = tuple(
    getattr(Booking, name)
    for name in (
        "id", "reference_number", "station_id", "customer_id", "event_date", "event_time",
        "slot_time", "guest_count", "menu_code", "event_type", "location", "address",
        "city", "state", "zip_code", "status", "menu_items", "subtotal_cents",
        "discount_cents", "coupon_code", "tax_cents", "service_fee_cents", "total_cents",
        "deposit_cents", "amount_paid_cents", "notes", "special_requests", "source",
        "created_at", "updated_at", "confirmed_at", "completed_at", "cancelled_at",
        "cancellation_reason",
    )
)  # fmt: skip


def _menu_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": line.get("menu_item_id"),
            "name": line["name"],
            "quantity": line.get("quantity"),
            "price": cents_to_number(unit)
            if (unit := line.get("unit_cents")) is not None
            else None,
        }
        for line in lines
    ]


def booking_fields(booking: Any, name: str, email: str | None, phone: str | None) -> dict[str, Any]:
    """The booking as the API shows it, as plain values: ``booking`` is the ORM row or
    a Core row of :data:`OUTPUT_COLUMNS` (both read by attribute), with its customer's
    contact.  :class:`BookingOut` documents (and the tests check) this shape."""
    total, paid, deposit = booking.total_cents, booking.amount_paid_cents, booking.deposit_cents
    return {
        "id": booking.id,
        "reference_number": booking.reference_number or "",
        "station_id": booking.station_id,
        "customer_id": booking.customer_id,
        "customer": {"id": booking.customer_id, "name": name, "email": email, "phone": phone},
        "event_date": booking.event_date,
        "date": booking.event_date,
        "event_time": booking.event_time.strftime("%H:%M:%S"),
        "time": booking.event_time.strftime("%H:%M"),
        "slot": booking.slot_time,
        "guest_count": booking.guest_count,
        "guests": booking.guest_count,
        "menu": booking.menu_code,
        "event_type": booking.event_type,
        "location": booking.location,
        "location_details": {
            "address": booking.address,
            "city": booking.city,
            "state": booking.state,
            "zip_code": booking.zip_code,
        },
        "status": booking.status,
        "menu_items": _menu_lines(booking.menu_items),
        "subtotal": cents_to_number(booking.subtotal_cents),
        "discount": cents_to_number(booking.discount_cents),
        "coupon_code": booking.coupon_code,
        "tax": cents_to_number(booking.tax_cents),
        "service_fee": cents_to_number(booking.service_fee_cents),
        "total_amount": cents_to_number(total),
        "deposit_amount": cents_to_number(deposit),
        "deposit_paid": deposit > 0 and paid >= deposit,
        "amount_paid": cents_to_number(paid),
        "balance_due": cents_to_number(max(0, total - paid)),
        "payment_status": payment_status(total, paid),
        "notes": booking.notes,
        "special_requests": booking.special_requests,
        "source": booking.source,
        "created_at": booking.created_at,
        "updated_at": booking.updated_at,
        "confirmed_at": booking.confirmed_at,
        "completed_at": booking.completed_at,
        "cancelled_at": booking.cancelled_at,
        "cancellation_reason": booking.cancellation_reason,
    }


def booking_out(row: Any) -> BookingOut:
    """One booking (with its customer's contact) as its output model."""
    booking, name, email, phone = row
    return BookingOut.model_validate(booking_fields(booking, name, email, phone))
