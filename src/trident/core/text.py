"""Text that people type and other people read: names, titles, brand names.

Control characters (C0 including tab and newline, DEL, C1) and the bidirectional
overrides and isolates used to disguise text ("Trojan Source") are refused;
spaces are trimmed and runs of them collapse to one.  So a name shows to everyone
the way it was meant, and a header or a log line built from it cannot be split.
The same rule is published as a JSON Schema pattern, so clients can check first.
"""

from __future__ import annotations

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
