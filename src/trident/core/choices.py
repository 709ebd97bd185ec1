"""``?status=pending,confirmed``: a query parameter naming one choice or several.

One way for every list filter of this shape.  The allowed names are a ``pattern``
in the published schema, so typed clients and fuzzers know them; validation enforces
that pattern (after lowercasing: any case is taken) and an unknown name answers the
app's 422 like any other invalid parameter.  :func:`split_choices` turns the checked
value into the list the query filters on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator


def _lowered(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def choices_pattern(choices: Iterable[str]) -> str:
    """A regular expression (JSON Schema's dialect) for a comma-separated list of
    ``choices``; empty means "no filter"."""
    names = "|".join(re.escape(choice) for choice in choices)
    item = rf"\s*(?:{names})\s*"
    return rf"^(?:{item}(?:,{item})*)?$"


def choice_list(choices: Iterable[str], *, description: str) -> Any:
    """The type of an optional ``?name=a,b`` query parameter among ``choices``."""
    names = tuple(choices)
    allowed = re.compile(choices_pattern(names))
    sentence = f"one or several of {', '.join(names)}, comma-separated"

    def check(value: str | None) -> str | None:
        # the published pattern, enforced with a sentence a person can read
        if value is not None and not allowed.match(value):
            raise ValueError(f"must be {sentence}")
        return value

    return Annotated[
        str | None,
        BeforeValidator(_lowered),
        AfterValidator(check),
        Query(
            max_length=sum(len(name) + 3 for name in names),
            description=f"{description}: {sentence}",
            json_schema_extra={"pattern": allowed.pattern},
        ),
    ]


def split_choices(raw: str | None) -> list[str] | None:
    """The names of a validated choice list, or None when it names none."""
    if raw is None:
        return None
    names = [part.strip() for part in raw.split(",") if part.strip()]
    return names or None
