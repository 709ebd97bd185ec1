from __future__ import annotations

import pytest

from trident.core.text import clean_display_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Acme   Corp ", "Acme Corp"),
        ("no\u00a0break  here", "no break here"),
        ("😀 Émilie's Café", "😀 Émilie's Café"),
        ("'; DROP TABLE users; --", "'; DROP TABLE users; --"),
    ],
)
def test_names_are_trimmed_and_kept(raw: str, clean: str) -> None:
    assert clean_display_text(raw) == clean


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("   ", "blank"),
        ("a\u0000b", "control"),
        ("line\nbreak", "control"),
        ("tab\there", "control"),
        ("a\u007fb", "control"),
        ("a\u0080b", "control"),  # a C1 control; str.split() does not treat it as space
        ("\u202eevil.exe", "bidirectional"),
        ("admin\u2066", "bidirectional"),
    ],
)
def test_disguising_characters_are_refused(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        clean_display_text(raw)
