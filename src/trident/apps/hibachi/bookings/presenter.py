"""A booking as the API shows it: one row (the booking and its customer's contact)
to its output model, with the document's aliases (``date``, ``guests``, ...)."""

from __future__ import annotations

from typing import Any

from trident.apps.hibachi.bookings.schemas import (
    BookingOut,
    CustomerBrief,
    LocationOut,
    MenuLineOut,
)
from trident.apps.hibachi.models import Booking
from trident.apps.hibachi.pricing.engine import payment_status
from trident.core.money import cents_to_decimal


def _menu_lines(booking: Booking) -> list[MenuLineOut]:
    out = []
    for line in booking.menu_items:
        unit = line.get("unit_cents")
        out.append(
            MenuLineOut.model_construct(
                id=line.get("menu_item_id"),
                name=line["name"],
                quantity=line.get("quantity"),
                price=cents_to_decimal(unit) if unit is not None else None,
            )
        )
    return out


def booking_out(row: Any) -> BookingOut:
    """The booking as the API shows it.  Built with ``model_construct``: every value
    comes from the database through typed columns, so a validation pass would check
    what is already known (it was half the cost of a list page)."""
    booking, name, email, phone = row
    return BookingOut.model_construct(
        id=booking.id,
        reference_number=booking.reference_number or "",
        station_id=booking.station_id,
        customer_id=booking.customer_id,
        customer=CustomerBrief.model_construct(
            id=booking.customer_id, name=name, email=email, phone=phone
        ),
        event_date=booking.event_date,
        date=booking.event_date,
        event_time=booking.event_time.strftime("%H:%M:%S"),
        time=booking.event_time.strftime("%H:%M"),
        slot=booking.slot_time,
        guest_count=booking.guest_count,
        guests=booking.guest_count,
        menu=booking.menu_code,
        event_type=booking.event_type,
        location=booking.location,
        location_details=LocationOut.model_construct(
            address=booking.address,
            city=booking.city,
            state=booking.state,
            zip_code=booking.zip_code,
        ),
        status=booking.status,
        menu_items=_menu_lines(booking),
        subtotal=cents_to_decimal(booking.subtotal_cents),
        discount=cents_to_decimal(booking.discount_cents),
        coupon_code=booking.coupon_code,
        tax=cents_to_decimal(booking.tax_cents),
        service_fee=cents_to_decimal(booking.service_fee_cents),
        total_amount=cents_to_decimal(booking.total_cents),
        deposit_amount=cents_to_decimal(booking.deposit_cents),
        deposit_paid=booking.deposit_cents > 0
        and booking.amount_paid_cents >= booking.deposit_cents,
        amount_paid=cents_to_decimal(booking.amount_paid_cents),
        balance_due=cents_to_decimal(max(0, booking.total_cents - booking.amount_paid_cents)),
        payment_status=payment_status(booking.total_cents, booking.amount_paid_cents),
        notes=booking.notes,
        special_requests=booking.special_requests,
        source=booking.source,
        created_at=booking.created_at,
        updated_at=booking.updated_at,
        confirmed_at=booking.confirmed_at,
        completed_at=booking.completed_at,
        cancelled_at=booking.cancelled_at,
        cancellation_reason=booking.cancellation_reason,
    )
