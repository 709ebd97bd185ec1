"""Text that people type and other people read: names, titles, brand names.

Whitespace runs collapse to one space; control characters (C0, DEL, C1) and the
bidirectional overrides and isolates used to disguise text ("Trojan Source") are
refused, so a name shows to everyone the way it was meant.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def clean_display_text(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("must not be blank")
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise ValueError("must not contain control characters")
        if char in BIDI_CONTROLS:
            raise ValueError("must not contain bidirectional control characters")
    return value


#: a trimmed, single-spaced, printable string for a pydantic field
DisplayText = Annotated[str, AfterValidator(clean_display_text)]
