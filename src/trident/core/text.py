"""Text that people type and other people read: names, titles, brand names.

Control characters (C0 including tab and newline, DEL, C1) and the bidirectional
overrides and isolates used to disguise text ("Trojan Source") are refused;
spaces are trimmed and runs of them collapse to one.  So a name shows to everyone
the way it was meant, and a header or a log line built from it cannot be split.
The same rule is published as a JSON Schema pattern, so clients can check first.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


_REFUSED = r"\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: ECMA-262 regex of the rule: only allowed characters, at least one not a space
DISPLAY_TEXT_PATTERN = f"^[^{_REFUSED}]*[^\\s{_REFUSED}][^{_REFUSED}]*$"


def clean_display_text(value: str) -> str:
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise ValueError("must not contain control characters (tabs and line breaks included)")
        if char in BIDI_CONTROLS:
            raise ValueError("must not contain bidirectional control characters")
    value = " ".join(value.split())
    if not value:
        raise ValueError("must not be blank")
    return value


#: a trimmed, single-spaced, printable string for a pydantic field
DisplayText = Annotated[
    str,
    AfterValidator(clean_display_text),
    Field(json_schema_extra={"pattern": DISPLAY_TEXT_PATTERN}),
]


def normalize_phone(raw: str) -> str | None:
    """A North American number as E.164 (+1 and ten digits), else None."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01":
        return None
    return "+1" + digits


_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]{7,25}$")


def normalize_phone_number(raw: str) -> str | None:
    """Any phone number a person types, as E.164: North American numbers with or
    without ``+1``, other countries with their ``+`` prefix (8 to 15 digits)."""
    raw = raw.strip()
    if not _PHONE_CHARS.match(raw):
        return None
    north_american = normalize_phone(raw)
    if north_american is not None and not (raw.startswith("+") and not raw.startswith("+1")):
        return north_american
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") and 8 <= len(digits) <= 15 and digits[0] != "0":
        return "+" + digits
    return None


def _phone(value: str) -> str:
    normalized = normalize_phone_number(value)
    if normalized is None:
        raise ValueError("Invalid phone number format")
    return normalized


#: a phone number (US or international), stored and shown as E.164
PhoneNumber = Annotated[
    str,
    Field(min_length=7, max_length=25, examples=["555-123-4567", "+44 20 7946 0958"]),
    AfterValidator(_phone),
]


def slugify(name: str, *, fallback: str = "org", max_length: int = 40) -> str:
    """A URL-safe identifier from a display name ("Acme Inc." -> "acme-inc")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:max_length].strip("-")
    return slug if len(slug) >= 2 else fallback


def free_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever ``taken`` does not hold."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
