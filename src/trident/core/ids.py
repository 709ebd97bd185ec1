"""Row ids as clients send them: one bound, one path parameter, one parser.

Ids are 32-bit integers (PostgreSQL ``integer``), so anything above ``MAX_ID`` names
no row: it is refused by validation (path, query, body) or, where an id arrives inside
free text or a token, read as "no such id", never sent to the database to overflow.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**31 - 1

#: ``/things/{id}``: a positive 32-bit id
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="The row's id")]
#: an id in a request body
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: ``?customer_id=``: an optional filter by a row's id
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def parse_id(value: object) -> int | None:
    """The id a string (or int) names, or None when it is not one (not decimal
    digits, zero, or beyond ``MAX_ID``)."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
