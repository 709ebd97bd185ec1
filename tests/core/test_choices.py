from __future__ import annotations

import re

import pytest

from trident.core.choices import choices_pattern, split_choices

PATTERN = re.compile(choices_pattern(("pending", "confirmed")))


@pytest.mark.parametrize(
    "value", ["", "pending", "pending,confirmed", " pending , confirmed ", "confirmed,confirmed"]
)
def test_the_pattern_takes_lists_of_known_names(value: str) -> None:
    assert PATTERN.match(value) is not None


@pytest.mark.parametrize("value", ["maybe", "pending,", ",pending", "pending;confirmed", "pend"])
def test_the_pattern_refuses_anything_else(value: str) -> None:
    assert PATTERN.match(value) is None


@pytest.mark.parametrize(
    ("raw", "names"),
    [(None, None), ("", None), ("pending", ["pending"]), (" a , b ", ["a", "b"])],
)
def test_split_choices(raw: str | None, names: list[str] | None) -> None:
    assert split_choices(raw) == names
