"""JSON bodies encoded in one step, for the hot reads that skip a model.

A hot list builds plain dicts from Core rows and encodes them here with orjson,
instead of constructing a pydantic model per row and serialising it.  The output is
the same JSON the response model would give: ``Decimal`` money as a number
(``942.5``), aware datetimes in UTC with ``Z``, dates as ``YYYY-MM-DD``.  The response
model still documents the body in the OpenAPI, and the tests validate these bodies
against the published schema (``tests/published_schema.py``, used by each app's
``test_hot_paths_schema.py``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from fastapi.responses import Response

_OPTIONS = orjson.OPT_UTC_Z


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # what Money's serializer writes
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> bytes:
    """``value`` as JSON bytes, in the response models' formats."""
    return orjson.dumps(value, default=_default, option=_OPTIONS)


def json_response(body: bytes, status_code: int = 200) -> Response:
    """Already encoded JSON as a response (no second encoding)."""
    return Response(body, status_code=status_code, media_type="application/json")
