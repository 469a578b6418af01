"""Text people typed, as a spreadsheet cell holds it."""

from __future__ import annotations

import pytest

from shared.sheet_text import as_text


@pytest.mark.parametrize(
    ("typed", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Ruang tunggu panas", "Ruang tunggu panas"),
        (None, ""),
    ],
)
def test_text_that_would_start_a_formula_is_quoted(typed, cell):
    assert as_text(typed) == cell


def test_control_characters_a_worksheet_cannot_hold_are_dropped_before_the_formula_check():
    assert as_text("\x00=1+1\x0b") == "'=1+1"
    assert as_text("baris\tsatu\nbaris dua") == "baris\tsatu\nbaris dua"
