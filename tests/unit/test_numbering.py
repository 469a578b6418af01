import pytest

from shared.domain.numbering import format_number, is_valid_prefix, parse_number


def test_numbers_have_at_least_three_digits_and_grow_past_999():
    assert format_number("A", 1) == "A001"
    assert format_number("AB", 42) == "AB042"
    assert format_number("A", 1000) == "A1000"


@pytest.mark.parametrize("typed", ["A001", "a1", "A-001", "a 1", " A01 "])
def test_what_staff_type_is_read_as_prefix_and_sequence(typed):
    assert parse_number(typed) == ("A", 1)


@pytest.mark.parametrize("typed", ["", "001", "A", "A0", "ABCD1", "A1B", "Ä1"])
def test_text_that_is_not_a_ticket_number_is_rejected(typed):
    assert parse_number(typed) is None


def test_prefixes_are_one_to_three_capital_letters():
    assert all(is_valid_prefix(p) for p in ("A", "AB", "ABC"))
    assert not any(is_valid_prefix(p) for p in ("", "a", "ABCD", "A1"))
